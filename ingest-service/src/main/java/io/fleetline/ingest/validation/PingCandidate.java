package io.fleetline.ingest.validation;

import java.time.Instant;
import java.util.Map;

/**
 * A ping as a protocol adapter decoded it, before validation: the measurements a device reported,
 * with {@code null} for what it did not report.
 */
public record PingCandidate(
    Instant recordedAt,
    double latitude,
    double longitude,
    Double speedKmh,
    Double headingDeg,
    Double altitudeM,
    Double accuracyM,
    Double odometerKm,
    Boolean ignition,
    Map<String, Object> attributes) {}
