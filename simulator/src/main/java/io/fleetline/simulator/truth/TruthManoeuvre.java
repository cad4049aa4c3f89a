package io.fleetline.simulator.truth;

import java.time.Instant;

/**
 * A manoeuvre a vehicle really made on purpose, which stream analytics should find: standing with
 * the ignition on ({@value #IDLING}), an emergency stop ({@value #HARSH_BRAKING}) or a racing start
 * ({@value #HARSH_ACCELERATION}), measured on the true (noise-free) motion.
 *
 * @param kind {@value #IDLING}, {@value #HARSH_BRAKING} or {@value #HARSH_ACCELERATION}
 * @param startedAt when the ignition went on, or the hard braking or acceleration began
 * @param endedAt when the vehicle pulled away, stood still, or was up to speed; the last sample's
 *     time if it was still going on ({@code open})
 * @param open true when the manoeuvre was still going on at the run's last sample
 */
public record TruthManoeuvre(
    String vehicleId,
    String identifier,
    String kind,
    Instant startedAt,
    Instant endedAt,
    boolean open) {

  public static final String IDLING = "idling";
  public static final String HARSH_BRAKING = "harsh_braking";
  public static final String HARSH_ACCELERATION = "harsh_acceleration";
}
