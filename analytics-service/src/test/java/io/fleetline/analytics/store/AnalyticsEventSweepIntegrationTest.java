package io.fleetline.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.analytics.AnalyticsProperties;
import io.fleetline.analytics.stream.DetectionSettings;
import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import io.fleetline.db.testing.EventOutbox;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The analytics outbox sweep on the real PostGIS and a real broker. */
class AnalyticsEventSweepIntegrationTest {

  @AutoClose
  static final EventOutbox outbox = new EventOutbox("fleetline.events.analytics-sweep-test");

  static final AnalyticsProperties settings =
      new AnalyticsProperties(
          Topics.PINGS,
          "fleetline.analytics.findings",
          1,
          outbox.topic(),
          1,
          "fleetline-analytics",
          "fleetline-analytics-store",
          "/tmp/fleetline-analytics",
          1,
          0,
          -1,
          Duration.ofMinutes(1),
          Duration.ofSeconds(10),
          DetectionSettings.defaults());

  final EventPublisher publisher =
      new EventPublisher(outbox.kafka(), outbox.dataSource(), settings);
  final UUID fleet = UUID.randomUUID();
  final UUID vehicle = UUID.randomUUID();

  @Test
  void eventClaimedByAnotherInstancesSweepIsSkippedNotSentTwice() throws Exception {
    long idling = unpublished(VehicleEvent.IDLING_STARTED);
    long routings = unpublished(VehicleEvent.TRIP_ENDED);

    outbox.sweepWhileClaimedElsewhere(idling, publisher::sweep);
    assertThat(outbox.published(idling)).isFalse();

    publisher.sweep();
    assertThat(outbox.published(idling)).isTrue();
    assertThat(outbox.published(routings)).isFalse();
    assertThat(outbox.typesSentFor(vehicle)).containsExactly(VehicleEvent.IDLING_STARTED);
  }

  private long unpublished(String type) {
    return outbox.unpublished(fleet, vehicle, type, type + ":" + vehicle + ":" + UUID.randomUUID());
  }
}
