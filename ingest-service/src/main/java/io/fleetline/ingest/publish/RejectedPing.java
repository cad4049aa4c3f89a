package io.fleetline.ingest.publish;

import io.fleetline.ingest.validation.Rejection;
import java.time.Instant;
import java.util.UUID;

/**
 * A ping that failed validation, kept with the bytes the device sent so that nothing is dropped
 * silently. {@code key} is the vehicle id when the device is known, else the device identifier.
 */
public record RejectedPing(
    String key,
    byte[] original,
    Rejection rejection,
    String protocol,
    Instant receivedAt,
    UUID fleetId) {}
