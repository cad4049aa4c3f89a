package io.fleetline.analytics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.VehicleEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdlingDetectionTest {

  static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
  static final Duration HALF_MINUTE = Duration.ofSeconds(30);

  @Test
  void standingWithIgnitionOnLongerThanFiveMinutesIsIdlingUntilTheVehicleMoves() {
    UUID vehicle = UUID.randomUUID();
    double[] speeds = new double[15];
    speeds[0] = 20; // driving, then 13 samples (6.5 minutes) standing, then driving off
    speeds[14] = 25;
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(Track.of(vehicle, T0).samples(HALF_MINUTE, speeds).pings());
      driver.advance(Duration.ofSeconds(30));

      Instant since = T0.plus(HALF_MINUTE);
      assertThat(driver.events(VehicleEvent.IDLING_STARTED))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.key()).isEqualTo("idling_started:" + vehicle + ":" + since);
                assertThat(e.occurredAt()).isEqualTo(since);
                assertThat(e.details()).containsEntry("live", true);
              });
      assertThat(driver.events(VehicleEvent.IDLING_ENDED))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.key()).isEqualTo("idling_ended:" + vehicle + ":" + since);
                assertThat(e.occurredAt()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
                assertThat(e.details()).containsEntry("durationS", 390);
              });
      assertThat(driver.statuses())
          .extracting(VehicleStatus::idling)
          .containsExactly(false, true, false);
    }
  }

  @Test
  void shortStandOrIgnitionOffIsNotIdling() {
    UUID shortStand = UUID.randomUUID();
    UUID parked = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(
          Track.of(shortStand, T0).samples(HALF_MINUTE, 20, 0, 0, 0, 0, 0, 0, 0, 0, 30).pings());
      driver.send(
          Track.of(parked, T0).ignition(false).samples(HALF_MINUTE, new double[30]).pings());
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.events(VehicleEvent.IDLING_STARTED)).isEmpty();
    }
  }

  @Test
  void speedJitterBelowThreeKmhKeepsOneIdling() {
    UUID vehicle = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(
          Track.of(vehicle, T0)
              .samples(HALF_MINUTE, 0, 1.5, 2.9, 0.4, 0, 2.1, 0, 1.2, 2.8, 0, 0.3, 1.1, 0, 2.5, 0)
              .pings());
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.events(VehicleEvent.IDLING_STARTED)).hasSize(1);
      assertThat(driver.events(VehicleEvent.IDLING_ENDED)).isEmpty();
    }
  }

  @Test
  void idlingFoundInPingsUploadedHoursLaterIsNotLive() {
    UUID vehicle = UUID.randomUUID();
    Instant hoursAgo = T0.minus(Duration.ofHours(3));
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(
          Track.of(vehicle, hoursAgo)
              .samples(HALF_MINUTE, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25)
              .pings());
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.events(VehicleEvent.IDLING_STARTED))
          .singleElement()
          .satisfies(e -> assertThat(e.details()).containsEntry("live", false));
    }
  }
}
