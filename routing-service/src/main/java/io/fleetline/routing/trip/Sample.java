package io.fleetline.routing.trip;

import java.time.Instant;

/** One stored position of a vehicle, as far as trip, stop and event detection need it. */
public record Sample(
    Instant recordedAt, double latitude, double longitude, Double speedKmh, Boolean ignition) {}
