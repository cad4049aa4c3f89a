package io.fleetline.routing.trip;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds a vehicle's samples the way a tracker reports them: parked with jitter, driving, silent.
 */
public final class Track {

  private static final double METERS_PER_DEGREE = 111_195;

  private final List<Sample> samples = new ArrayList<>();
  private final Random random;
  private Instant time;
  private double latitude;
  private double longitude;

  public Track(Instant start, double latitude, double longitude, long seed) {
    this.time = start;
    this.latitude = latitude;
    this.longitude = longitude;
    this.random = new Random(seed);
  }

  /** Standing with ignition off, fixes wandering up to {@code jitterM} around the spot. */
  public Track park(Duration duration, Duration interval, double jitterM) {
    return park(duration, interval, jitterM, false);
  }

  public Track park(Duration duration, Duration interval, double jitterM, Boolean ignition) {
    Instant end = time.plus(duration);
    while (time.isBefore(end)) {
      double angle = random.nextDouble() * 2 * Math.PI;
      double r = random.nextDouble() * jitterM;
      add(
          latitude + r * Math.sin(angle) / METERS_PER_DEGREE,
          longitude + r * Math.cos(angle) / metersPerDegreeLon(),
          0.0,
          ignition);
      time = time.plus(interval);
    }
    return this;
  }

  /** Driving at a steady speed on a heading, reporting every {@code interval}. */
  public Track drive(Duration duration, Duration interval, double speedKmh, double headingDeg) {
    Instant end = time.plus(duration);
    double stepM = speedKmh / 3.6 * interval.toMillis() / 1000.0;
    while (time.isBefore(end)) {
      add(latitude, longitude, speedKmh, true);
      latitude += stepM * Math.cos(Math.toRadians(headingDeg)) / METERS_PER_DEGREE;
      longitude += stepM * Math.sin(Math.toRadians(headingDeg)) / metersPerDegreeLon();
      time = time.plus(interval);
    }
    return this;
  }

  /** No reports for a while; the vehicle may move meanwhile. */
  public Track silence(Duration duration, double northM) {
    time = time.plus(duration);
    latitude += northM / METERS_PER_DEGREE;
    return this;
  }

  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  public Instant now() {
    return time;
  }

  private void add(double lat, double lon, Double speedKmh, Boolean ignition) {
    samples.add(new Sample(time, round(lat), round(lon), speedKmh, ignition));
  }

  /** Seven decimals, about a centimetre, so values survive a round trip through the database. */
  private static double round(double degrees) {
    return Math.round(degrees * 1e7) / 1e7;
  }

  private double metersPerDegreeLon() {
    return METERS_PER_DEGREE * Math.cos(Math.toRadians(latitude));
  }
}
