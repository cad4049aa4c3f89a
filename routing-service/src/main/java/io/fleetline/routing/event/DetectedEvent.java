package io.fleetline.routing.event;

import io.fleetline.routing.trip.Sample;
import java.util.Map;

/**
 * An event found in a vehicle's history, not yet stored.
 *
 * @param key deterministic identity: the same history always yields the same key, so storing is
 *     idempotent
 */
public record DetectedEvent(String key, String type, Sample at, Map<String, Object> details) {}
