package io.fleetline.analytics.stream;

import java.time.ZoneId;
import java.util.UUID;

/** The time zone whose calendar days a fleet's daily summaries follow. */
@FunctionalInterface
public interface FleetZones {

  ZoneId zoneOf(UUID fleetId);
}
