package io.fleetline.analytics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.VehicleEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HarshDrivingTest {

  static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
  static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void sustainedDecelerationIsOneHarshBrakingAtItsStart() {
    UUID vehicle = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      // 16 km/h less every second: 4.4 m/s² for three seconds
      driver.send(Track.of(vehicle, T0).samples(SECOND, 72, 72, 56, 40, 24, 24).pings());
      driver.advance(Duration.ofSeconds(30));

      Instant start = T0.plusSeconds(1);
      assertThat(driver.events(VehicleEvent.HARSH_BRAKING))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.key()).isEqualTo("harsh_braking:" + vehicle + ":" + start);
                assertThat(e.occurredAt()).isEqualTo(start);
                assertThat(e.details())
                    .containsEntry("peakMps2", 4.44)
                    .containsEntry("fromSpeedKmh", 72.0)
                    .containsEntry("live", true);
              });
      assertThat(driver.events())
          .extracting(DetectedEvent::type)
          .doesNotContain(VehicleEvent.HARSH_ACCELERATION, VehicleEvent.HARSH_CORNERING);
      assertThat(driver.summaries())
          .singleElement()
          .satisfies(s -> assertThat(s.harshBrakingCount()).isEqualTo(1));
    }
  }

  @Test
  void gpsSpeedSpikeOrHeadingSpikeRaisesNothing() {
    UUID speedSpike = UUID.randomUUID();
    UUID headingSpike = UUID.randomUUID();
    UUID headingJump = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(Track.of(speedSpike, T0).samples(SECOND, 50, 50, 30, 50, 50, 28, 50, 50).pings());
      driver.send(
          Track.of(headingSpike, T0)
              .sample(SECOND, 50, 90)
              .sample(SECOND, 50, 90)
              .sample(SECOND, 50, 120)
              .sample(SECOND, 50, 90)
              .sample(SECOND, 50, 90)
              .pings());
      driver.send(
          Track.of(headingJump, T0)
              .sample(SECOND, 50, 90)
              .sample(SECOND, 50, 180)
              .sample(SECOND, 50, 270)
              .sample(SECOND, 50, 0)
              .pings());
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.events()).isEmpty();
    }
  }

  @Test
  void inaccurateTooCloseOrTooSparseSamplesAreNotJudged() {
    UUID inaccurate = UUID.randomUUID();
    UUID tooClose = UUID.randomUUID();
    UUID tooSparse = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(
          Track.of(inaccurate, T0).accuracy(40.0).samples(SECOND, 72, 72, 56, 40, 24).pings());
      driver.send(
          Track.of(tooClose, T0).samples(Duration.ofMillis(200), 50, 50, 47, 44, 41, 38).pings());
      driver.send(Track.of(tooSparse, T0).samples(Duration.ofSeconds(6), 200, 200, 100, 0).pings());
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.events()).isEmpty();
    }
  }

  @Test
  void hardAccelerationAndSustainedCorneringToOneSideAreHarsh() {
    UUID accelerating = UUID.randomUUID();
    UUID cornering = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(Track.of(accelerating, T0).samples(SECOND, 0, 12, 24, 36, 36).pings());
      // 40 km/h turning 20°/s to the right: 3.9 m/s² lateral
      driver.send(
          Track.of(cornering, T0)
              .sample(SECOND, 40, 0)
              .sample(SECOND, 40, 0)
              .sample(SECOND, 40, 20)
              .sample(SECOND, 40, 40)
              .sample(SECOND, 40, 60)
              .sample(SECOND, 40, 60)
              .pings());
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.events(VehicleEvent.HARSH_ACCELERATION))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.vehicleId()).isEqualTo(accelerating);
                assertThat(e.occurredAt()).isEqualTo(T0);
              });
      assertThat(driver.events(VehicleEvent.HARSH_CORNERING))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.vehicleId()).isEqualTo(cornering);
                assertThat(e.occurredAt()).isEqualTo(T0.plusSeconds(1));
                assertThat(e.details()).containsEntry("direction", "right");
              });
      assertThat(driver.events()).hasSize(2);
    }
  }
}
