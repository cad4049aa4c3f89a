package io.fleetline.common;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A validated position report of one vehicle, as published on {@link Topics#PINGS}.
 *
 * <p>{@code recordedAt} is event time (when the device measured it), {@code receivedAt} is when
 * ingest accepted it. Optional measurements are {@code null} when the device did not report them.
 *
 * @param v schema version of this record on the wire
 */
public record VehiclePing(
    int v,
    UUID vehicleId,
    UUID fleetId,
    UUID deviceId,
    String protocol,
    Instant recordedAt,
    Instant receivedAt,
    double latitude,
    double longitude,
    Double speedKmh,
    Double headingDeg,
    Double altitudeM,
    Double accuracyM,
    Double odometerKm,
    Boolean ignition,
    Map<String, Object> attributes) {

  /** The schema version this code writes. */
  public static final int CURRENT_VERSION = 1;

  public VehiclePing {
    // Not Map.copyOf: attribute values may legitimately be JSON null.
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }
}
