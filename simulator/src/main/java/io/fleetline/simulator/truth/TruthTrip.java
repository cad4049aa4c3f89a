package io.fleetline.simulator.truth;

import java.time.Instant;

/**
 * A trip a vehicle really drove: from the moment it switched its ignition on and pulled away from a
 * parking place to the moment it parked again with the ignition off, measured on its true
 * (noise-free) path. Short stops with the ignition on (traffic lights) stay inside a trip.
 *
 * @param startedAt when it pulled away; for a vehicle driving when the run started, the run's first
 *     sample ({@code startedInRun} is then false)
 * @param endedAt when it stopped to park, or the last sample's time if still driving ({@code open})
 * @param distanceM the distance driven along the road grid
 * @param maxSpeedKmh the highest true speed on the trip
 * @param parkedForS how long it then stayed parked within the run (0 for an open trip)
 * @param startedInRun false when the vehicle was already driving at the run's first sample
 * @param open true when the vehicle was still driving at the run's last sample
 */
public record TruthTrip(
    String vehicleId,
    String identifier,
    Instant startedAt,
    Instant endedAt,
    Point start,
    Point end,
    double distanceM,
    double maxSpeedKmh,
    long parkedForS,
    boolean startedInRun,
    boolean open) {

  /** A position in degrees (WGS 84), shaped as the contract's {@code start} and {@code end}. */
  public record Point(double latitude, double longitude) {}
}
