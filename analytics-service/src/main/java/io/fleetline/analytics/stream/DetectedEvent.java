package io.fleetline.analytics.stream;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An event the stream found, before it is stored in {@code vehicle_events}.
 *
 * @param key deterministic identity ({@code vehicle_events.event_key}): the same pings always give
 *     the same key, so storing it again changes nothing
 * @param details type-specific fields, always with {@code live}
 */
public record DetectedEvent(
    String key,
    String type,
    UUID vehicleId,
    UUID fleetId,
    Instant occurredAt,
    Double latitude,
    Double longitude,
    Map<String, Object> details) {}
