package io.fleetline.analytics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.VehicleEvent;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The timer reads the states whose time has come, not every vehicle's at every look. */
class PunctuationCostTest {

  static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

  @Test
  void timerReadsOnlyTheVehiclesAndDaysWhoseTimeHasCome() {
    List<UUID> vehicles = IntStream.range(0, 100).mapToObj(i -> UUID.randomUUID()).toList();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      for (UUID vehicle : vehicles) {
        driver.send(Track.of(vehicle, T0).samples(Duration.ofSeconds(1), 30, 30, 30).pings());
      }
      // The first look builds the deadlines from the stores, applies the held pings and
      // publishes the new summaries.
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.summaries()).hasSize(100);
      double afterFirstLook = reads(driver, VehicleAnalyzer.VEHICLE_STORE);
      double daysAfterFirstLook = reads(driver, VehicleAnalyzer.SUMMARY_STORE);

      // Nothing is due until the vehicles have been silent for offline-after (10 min).
      for (int look = 0; look < 50; look++) {
        driver.advance(Duration.ofSeconds(10));
      }
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE)).isEmpty();
      assertThat(reads(driver, VehicleAnalyzer.VEHICLE_STORE)).isEqualTo(afterFirstLook);
      assertThat(reads(driver, VehicleAnalyzer.SUMMARY_STORE)).isEqualTo(daysAfterFirstLook);

      driver.advance(Duration.ofMinutes(2));
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE))
          .extracting(DetectedEvent::vehicleId)
          .containsExactlyInAnyOrderElementsOf(vehicles);
      assertThat(reads(driver, VehicleAnalyzer.VEHICLE_STORE)).isEqualTo(afterFirstLook + 100);
      assertThat(reads(driver, VehicleAnalyzer.SUMMARY_STORE)).isEqualTo(daysAfterFirstLook);
    }
  }

  private static double reads(AnalyticsDriver driver, String store) {
    Counter reads =
        driver.meters.find("fleetline.analytics.punctuation.reads").tag("store", store).counter();
    return reads == null ? 0 : reads.count();
  }
}
