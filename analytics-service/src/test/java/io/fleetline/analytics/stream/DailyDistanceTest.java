package io.fleetline.analytics.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetline.common.Measurements;
import io.fleetline.common.VehiclePing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The daily distance against GPS outliers, poor fixes, a parked vehicle's jitter and disorder. */
class DailyDistanceTest {

  static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
  static final Duration SECOND = Duration.ofSeconds(1);
  static final double METERS_PER_DEGREE = 111_195;

  @Test
  void pingFarOffTheRoadDoesNotLengthenTheDay() {
    UUID vehicle = UUID.randomUUID();
    List<VehiclePing> pings = straight(vehicle, SECOND, 121, 36); // 1200 m
    pings.set(60, moved(pings.get(60), 0, 300, 5.0, 36.0)); // claims a good fix

    assertThat(distanceM(pings)).isCloseTo(1200, within(15.0));
  }

  @Test
  void pingReportingAPoorAccuracyIsPassedOver() {
    UUID vehicle = UUID.randomUUID();
    // 100 m every 10 s: a fix 120 m beside the road is within reach, only its accuracy gives it
    // away
    List<VehiclePing> pings = straight(vehicle, Duration.ofSeconds(10), 13, 36); // 1200 m
    pings.set(6, moved(pings.get(6), 0, 120, 400.0, 36.0));

    assertThat(distanceM(pings)).isCloseTo(1200, within(2.0));
  }

  @Test
  void wrongFirstFixIsLeftBehindOnceTheNextFixesAgree() {
    UUID vehicle = UUID.randomUUID();
    List<VehiclePing> pings = straight(vehicle, SECOND, 61, 36); // 600 m
    pings.set(0, moved(pings.get(0), 500, 0, 5.0, 36.0));

    assertThat(distanceM(pings)).isCloseTo(600, within(15.0));
  }

  @Test
  void jitterOfAParkedTrackerThatReportsNoSpeedIsNoDistance() {
    UUID vehicle = UUID.randomUUID();
    Random gps = new Random(7);
    List<VehiclePing> pings = new ArrayList<>();
    for (int s = 0; s < 600; s++) { // ten minutes parked, a fix every second, 4 m of noise
      VehiclePing at = ping(vehicle, T0.plusSeconds(s), 0, 0, null, 6.0, null);
      pings.add(moved(at, gps.nextGaussian() * 4, gps.nextGaussian() * 4, 6.0, null));
    }

    assertThat(distanceM(pings)).isZero();
  }

  @Test
  void trackerThatReportsNoSpeedCountsItsDriveAfterStanding() {
    UUID vehicle = UUID.randomUUID();
    Random gps = new Random(8);
    List<VehiclePing> pings = new ArrayList<>();
    for (int s = 0; s < 300; s++) { // five minutes standing
      VehiclePing at = ping(vehicle, T0.plusSeconds(s), 0, 0, null, 6.0, true);
      pings.add(moved(at, gps.nextGaussian() * 2, gps.nextGaussian() * 2, 6.0, null));
    }
    for (int s = 1; s <= 100; s++) { // then 1000 m north at 36 km/h
      pings.add(ping(vehicle, T0.plusSeconds(299 + s), 10.0 * s, 0, null, 6.0, true));
    }

    assertThat(distanceM(pings)).isCloseTo(1000, within(25.0));
  }

  @Test
  void speedNoiseOfAVehicleParkedWithItsIgnitionOffIsNoDistance() {
    UUID vehicle = UUID.randomUUID();
    Random gps = new Random(9);
    List<VehiclePing> pings = new ArrayList<>();
    for (int s = 0; s < 600; s++) {
      double speedKmh = s % 20 == 10 ? 7 : 0; // the receiver now and then reads a walking pace
      VehiclePing at = ping(vehicle, T0.plusSeconds(s), 0, 0, speedKmh, 6.0, false);
      pings.add(moved(at, gps.nextGaussian() * 4, gps.nextGaussian() * 4, 6.0, speedKmh));
    }

    assertThat(distanceM(pings)).isZero();
  }

  @Test
  void pingsOutOfOrderWithAnOutlierGiveTheDistanceOfTheRoad() {
    UUID vehicle = UUID.randomUUID();
    List<VehiclePing> inOrder = straight(vehicle, SECOND, 121, 36); // 1200 m
    inOrder.set(42, moved(inOrder.get(42), 0, -250, 4.0, 36.0));
    List<VehiclePing> shuffled = new ArrayList<>();
    for (int from = 0; from < inOrder.size(); from += 8) { // batches uploaded newest first
      List<VehiclePing> batch =
          new ArrayList<>(inOrder.subList(from, Math.min(from + 8, inOrder.size())));
      Collections.reverse(batch);
      shuffled.addAll(batch);
    }

    double ordered = distanceM(inOrder);
    assertThat(ordered).isCloseTo(1200, within(15.0));
    assertThat(distanceM(shuffled)).isCloseTo(ordered, within(1e-6));
  }

  /** The summed daily distance of one vehicle's pings, sent in the order given. */
  private static double distanceM(List<VehiclePing> pings) {
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(pings);
      driver.advance(Duration.ofMinutes(1));
      return driver.summaries().stream().mapToDouble(DailySummary::distanceM).sum();
    }
  }

  /** Northbound at a constant speed, {@code count} samples {@code every} apart. */
  private static List<VehiclePing> straight(
      UUID vehicle, Duration every, int count, double speedKmh) {
    List<VehiclePing> pings = new ArrayList<>();
    double stepM = speedKmh / 3.6 * every.toMillis() / 1000.0;
    for (int i = 0; i < count; i++) {
      pings.add(ping(vehicle, T0.plus(every.multipliedBy(i)), stepM * i, 0, speedKmh, 5.0, true));
    }
    return pings;
  }

  private static VehiclePing ping(
      UUID vehicle,
      Instant at,
      double northM,
      double eastM,
      Double speedKmh,
      Double accuracyM,
      Boolean ignition) {
    return new VehiclePing(
        VehiclePing.CURRENT_VERSION,
        vehicle,
        Track.FLEET,
        UUID.nameUUIDFromBytes(vehicle.toString().getBytes()),
        "http",
        at,
        at,
        new Measurements(
            52.5 + northM / METERS_PER_DEGREE,
            13.4 + eastM / (METERS_PER_DEGREE * Math.cos(Math.toRadians(52.5))),
            speedKmh,
            0.0,
            34.0,
            accuracyM,
            null,
            ignition),
        java.util.Map.of());
  }

  /** The ping moved by the given metres, reporting the given accuracy and speed. */
  private static VehiclePing moved(
      VehiclePing p, double northM, double eastM, Double accuracyM, Double speedKmh) {
    Measurements m = p.measurements();
    return new VehiclePing(
        p.v(),
        p.vehicleId(),
        p.fleetId(),
        p.deviceId(),
        p.protocol(),
        p.recordedAt(),
        p.receivedAt(),
        new Measurements(
            m.latitude() + northM / METERS_PER_DEGREE,
            m.longitude() + eastM / (METERS_PER_DEGREE * Math.cos(Math.toRadians(52.5))),
            speedKmh,
            m.headingDeg(),
            m.altitudeM(),
            accuracyM,
            m.odometerKm(),
            m.ignition()),
        p.attributes());
  }
}
