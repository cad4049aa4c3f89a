package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Geo;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SimulatedVehicleTest {

  @Test
  void vehiclesStayInTheirAreaAndNeverExceedCruisingSpeed() {
    for (long seed = 0; seed < 20; seed++) {
      SimulatedVehicle vehicle =
          new SimulatedVehicle(new SplittableRandom(seed), 52.52, 13.405, 2000);
      for (int step = 0; step < 2000; step++) {
        vehicle.advance(Duration.ofSeconds(5));
        assertThat(vehicle.speedKmh()).isBetween(0.0, 55.0);
        assertThat(vehicle.distanceFromCentreM()).isLessThan(2000 + 3 * SimulatedVehicle.BLOCK_M);
      }
    }
  }

  @Test
  void distanceCoveredMatchesTheSpeedDriven() {
    SimulatedVehicle vehicle =
        new SimulatedVehicle(new SplittableRandom(7), 48.137, 11.575, 50_000);
    double lat = vehicle.latitude();
    double lon = vehicle.longitude();
    double expectedM = 0;
    for (int i = 0; i < 10; i++) {
      vehicle.advance(Duration.ofSeconds(1));
      expectedM += vehicle.speedKmh() / 3.6;
    }
    // Along a street grid the crow-flies distance is at most the driven distance.
    assertThat(Geo.haversineMeters(lat, lon, vehicle.latitude(), vehicle.longitude()))
        .isLessThanOrEqualTo(expectedM + 1);
  }

  @Test
  void everyVehicleParksSometimesWithItsIgnitionOff() {
    SimulatedVehicle vehicle = new SimulatedVehicle(new SplittableRandom(3), 52.52, 13.405, 3000);
    boolean parked = false;
    for (int step = 0; step < 5000 && !parked; step++) {
      vehicle.advance(Duration.ofSeconds(5));
      parked = vehicle.isParked();
    }
    assertThat(parked).isTrue();
    JsonNode ping =
        FleetlineJson.mapper().readTree(vehicle.pingJson(Instant.parse("2026-11-26T08:00:00Z")));
    assertThat(ping.get("ignition").booleanValue()).isFalse();
    assertThat(ping.get("speedKmh").doubleValue()).isZero();
    assertThat(ping.get("latitude").doubleValue()).isCloseTo(vehicle.latitude(), within(0.001));
  }
}
