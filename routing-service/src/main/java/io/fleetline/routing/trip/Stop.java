package io.fleetline.routing.trip;

import java.time.Duration;
import java.time.Instant;

/**
 * A detected stop (parking): where the vehicle stood and from when to when.
 *
 * @param place the first position of the stop, where the vehicle arrived
 * @param open true while the vehicle is still standing there as far as the data goes
 */
public record Stop(Sample place, Instant startedAt, Instant endedAt, boolean open) {

  public double durationS() {
    return Duration.between(startedAt, endedAt).toMillis() / 1000.0;
  }
}
