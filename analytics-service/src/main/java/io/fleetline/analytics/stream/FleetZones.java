package io.fleetline.analytics.stream;

import java.time.ZoneId;
import java.util.UUID;

/** The time zone whose calendar days a fleet's daily summaries follow. */
@FunctionalInterface
public interface FleetZones {

  /**
   * The fleet's zone, or {@code null} while it cannot be known (its store does not answer): samples
   * applied then count towards no day rather than towards a day of a guessed zone.
   */
  ZoneId zoneOf(UUID fleetId);
}
