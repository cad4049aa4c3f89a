package io.fleetline.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RoutingPropertiesTest {

  private static RoutingProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("fleetline.routing", RoutingProperties.class);
  }

  @Test
  void unsetEventsTopicIsTheSharedEventsTopicWithTwelvePartitions() {
    RoutingProperties properties = bind(Map.of());

    assertThat(properties.eventsTopic()).isEqualTo("fleetline.events");
    assertThat(properties.eventsPartitions()).isEqualTo(12);
    assertThat(properties.pingsTopic()).isEqualTo("fleetline.pings");
  }

  @Test
  void configuredEventsTopicAndPartitionsOverrideTheDefaults() {
    RoutingProperties properties =
        bind(
            Map.of(
                "fleetline.routing.events-topic", "tenant-a.events",
                "fleetline.routing.events-partitions", "48"));

    assertThat(properties.eventsTopic()).isEqualTo("tenant-a.events");
    assertThat(properties.eventsPartitions()).isEqualTo(48);
  }
}
