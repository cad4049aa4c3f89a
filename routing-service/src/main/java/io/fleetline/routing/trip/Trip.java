package io.fleetline.routing.trip;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A detected trip: from the departure point to the arrival point, with its path.
 *
 * @param open true while the vehicle may still be driving it (no parking or data gap after it yet)
 */
public record Trip(
    List<Sample> path, double distanceM, Double maxSpeedKmh, double avgSpeedKmh, boolean open) {

  public Sample start() {
    return path.get(0);
  }

  public Sample end() {
    return path.get(path.size() - 1);
  }

  public Instant startedAt() {
    return start().recordedAt();
  }

  public Instant endedAt() {
    return end().recordedAt();
  }

  public double durationS() {
    return Duration.between(startedAt(), endedAt()).toMillis() / 1000.0;
  }
}
