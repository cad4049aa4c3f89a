package io.fleetline.common;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
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
 * <p>On the wire the measurements are flat fields of the ping, as they have been since version 1.
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
    @JsonUnwrapped Measurements measurements,
    Map<String, Object> attributes) {

  /** The schema version this code writes. */
  public static final int CURRENT_VERSION = 1;

  public VehiclePing {
    if (measurements == null) {
      measurements = Measurements.at(0, 0);
    }
    // Not Map.copyOf: attribute values may legitimately be JSON null.
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }
}
