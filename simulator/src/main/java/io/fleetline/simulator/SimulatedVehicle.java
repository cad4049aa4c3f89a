package io.fleetline.simulator;

import io.fleetline.common.Geo;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * One vehicle driving a Manhattan street grid around a centre: it accelerates to a cruising speed
 * on straight blocks, slows for turns at intersections, and parks now and then with its ignition
 * off. Positions are reported with a little GPS noise.
 */
final class SimulatedVehicle {

  /** Distance between parallel streets. */
  static final double BLOCK_M = 250;

  private static final double METRES_PER_DEGREE_LAT = 111_320;

  private final RandomGenerator random;
  private final double centreLat;
  private final double centreLon;
  private final double radiusM;

  // Position in metres east (x) and north (y) of the centre; heading one of 0, 90, 180, 270.
  private double xM;
  private double yM;
  private int headingDeg;
  private double speedKmh;
  private double cruiseKmh;
  private Duration parkedFor = Duration.ZERO;
  private double odometerKm;

  SimulatedVehicle(RandomGenerator random, double centreLat, double centreLon, double radiusM) {
    this.random = random;
    this.centreLat = centreLat;
    this.centreLon = centreLon;
    this.radiusM = radiusM;
    int blocks = Math.max(1, (int) (radiusM / BLOCK_M));
    this.xM = (random.nextInt(2 * blocks + 1) - blocks) * BLOCK_M;
    this.yM = (random.nextInt(2 * blocks + 1) - blocks) * BLOCK_M;
    this.headingDeg = 90 * random.nextInt(4);
    this.cruiseKmh = 30 + random.nextDouble() * 25;
    this.odometerKm = 10_000 + random.nextInt(90_000);
  }

  /** Advances the vehicle by {@code step} of simulated time. */
  void advance(Duration step) {
    double seconds = step.toMillis() / 1000.0;
    if (!parkedFor.isZero() && !parkedFor.isNegative()) {
      parkedFor = parkedFor.minus(step);
      speedKmh = 0;
      return;
    }
    // Gentle acceleration towards the cruising speed (about 2 m/s^2).
    speedKmh = Math.min(cruiseKmh, speedKmh + 7.2 * seconds);
    double remaining = speedKmh / 3.6 * seconds;
    while (remaining > 0) {
      double toCorner = distanceToNextCorner();
      if (remaining < toCorner) {
        move(remaining);
        break;
      }
      move(toCorner);
      remaining -= toCorner;
      atCorner();
      if (speedKmh == 0) {
        break;
      }
    }
  }

  private void atCorner() {
    if (random.nextDouble() < 0.05) {
      parkedFor = Duration.ofMinutes(2 + random.nextInt(30));
      speedKmh = 0;
      return;
    }
    int turn = random.nextInt(3) - 1; // left, straight, right
    headingDeg = Math.floorMod(headingDeg + 90 * turn, 360);
    if (Math.hypot(xM, yM) > radiusM) {
      headingDeg = headingTowardsCentre();
    }
    if (turn != 0) {
      speedKmh = Math.min(speedKmh, 15); // slow down for the turn
      cruiseKmh = 30 + random.nextDouble() * 25;
    }
  }

  private int headingTowardsCentre() {
    if (Math.abs(xM) > Math.abs(yM)) {
      return xM > 0 ? 270 : 90;
    }
    return yM > 0 ? 180 : 0;
  }

  private double distanceToNextCorner() {
    double along = headingDeg == 0 || headingDeg == 180 ? yM : xM;
    boolean positive = headingDeg == 0 || headingDeg == 90;
    double next =
        positive
            ? Math.floor(along / BLOCK_M + 1e-9) * BLOCK_M + BLOCK_M
            : Math.ceil(along / BLOCK_M - 1e-9) * BLOCK_M - BLOCK_M;
    return Math.abs(next - along);
  }

  private void move(double metres) {
    switch (headingDeg) {
      case 0 -> yM += metres;
      case 90 -> xM += metres;
      case 180 -> yM -= metres;
      default -> xM -= metres;
    }
    odometerKm += metres / 1000;
  }

  /** The ping this vehicle's tracker would send now, as HTTP JSON. */
  String pingJson(Instant recordedAt) {
    double noiseM = 3;
    double lat = latitude() + random.nextGaussian() * noiseM / METRES_PER_DEGREE_LAT;
    double lon = longitude() + random.nextGaussian() * noiseM / metresPerDegreeLon();
    return String.format(
        java.util.Locale.ROOT,
        "{\"recordedAt\":\"%s\",\"latitude\":%.7f,\"longitude\":%.7f,\"speedKmh\":%.1f,"
            + "\"headingDeg\":%d,\"accuracyM\":%.1f,\"odometerKm\":%.3f,\"ignition\":%b}",
        recordedAt,
        lat,
        lon,
        speedKmh,
        headingDeg,
        noiseM + Math.abs(random.nextGaussian() * 2),
        odometerKm,
        !isParked());
  }

  double latitude() {
    return centreLat + yM / METRES_PER_DEGREE_LAT;
  }

  double longitude() {
    return centreLon + xM / metresPerDegreeLon();
  }

  double speedKmh() {
    return speedKmh;
  }

  boolean isParked() {
    return parkedFor.compareTo(Duration.ZERO) > 0;
  }

  double distanceFromCentreM() {
    return Geo.haversineMeters(centreLat, centreLon, latitude(), longitude());
  }

  private double metresPerDegreeLon() {
    return METRES_PER_DEGREE_LAT * Math.cos(Math.toRadians(centreLat));
  }
}
