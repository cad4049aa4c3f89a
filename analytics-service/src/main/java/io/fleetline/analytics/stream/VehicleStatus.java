package io.fleetline.analytics.stream;

import java.time.Instant;
import java.util.UUID;

/**
 * Whether a vehicle is online and idling, as of its latest change; a later revision replaces an
 * earlier one.
 *
 * @param onlineChangedAt when it last went online or offline (wall-clock)
 * @param lastHeardAt when its latest ping was processed (wall-clock)
 */
public record VehicleStatus(
    UUID vehicleId,
    UUID fleetId,
    long revision,
    boolean online,
    Instant onlineChangedAt,
    Instant lastHeardAt,
    boolean idling,
    Instant idlingSince) {}
