package io.fleetline.api.position;

import io.fleetline.common.Diagnostics;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A vehicle's position as the contract shapes it: the fields of {@link PositionColumn}, in its
 * order, which {@link PositionRows} checks when it is loaded.
 */
public record PositionView(
    UUID vehicleId,
    Instant recordedAt,
    Instant receivedAt,
    double latitude,
    double longitude,
    Float speedKmh,
    Float headingDeg,
    Float altitudeM,
    Float accuracyM,
    Boolean ignition,
    Diagnostics diagnostics,
    Map<String, Object> attributes) {}
