package io.fleetline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class ApiPropertiesTest {

  private static ApiProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("fleetline.api", ApiProperties.class);
  }

  @Test
  void unsetSettingsTakeTheRegistryTopicAndOneMegabyte() {
    ApiProperties properties = bind(Map.of());

    assertThat(properties.devicesTopic()).isEqualTo("fleetline.devices");
    assertThat(properties.maxRequestSize()).isEqualTo(DataSize.ofMegabytes(1));
  }

  @Test
  void configuredTopicAndRequestSizeOverrideTheDefaults() {
    ApiProperties properties =
        bind(
            Map.of(
                "fleetline.api.devices-topic", "tenant-a.devices",
                "fleetline.api.max-request-size", "64KB"));

    assertThat(properties.devicesTopic()).isEqualTo("tenant-a.devices");
    assertThat(properties.maxRequestSize()).isEqualTo(DataSize.ofKilobytes(64));
  }
}
