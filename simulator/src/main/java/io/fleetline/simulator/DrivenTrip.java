package io.fleetline.simulator;

import java.time.Instant;

/** A trip as the motion model drove it, before it is tied to a registered vehicle. */
record DrivenTrip(
    Instant startedAt,
    Instant endedAt,
    double startLat,
    double startLon,
    double endLat,
    double endLon,
    double distanceM,
    double maxSpeedKmh,
    long parkedForS,
    boolean startedInRun,
    boolean open) {}
