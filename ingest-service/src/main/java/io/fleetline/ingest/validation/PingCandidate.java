package io.fleetline.ingest.validation;

import io.fleetline.common.Measurements;
import java.time.Instant;
import java.util.Map;

/**
 * A ping as a protocol adapter decoded it, before validation: the measurements a device reported,
 * with {@code null} for what it did not report.
 */
public record PingCandidate(
    Instant recordedAt, Measurements measurements, Map<String, Object> attributes) {}
