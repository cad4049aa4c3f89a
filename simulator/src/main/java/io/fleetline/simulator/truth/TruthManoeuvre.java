package io.fleetline.simulator.truth;

import java.time.Instant;

/**
 * A manoeuvre a vehicle really made on purpose, which stream analytics should find: standing with
 * the ignition on ({@value #IDLING}), an emergency stop ({@value #HARSH_BRAKING}), a racing start
 * ({@value #HARSH_ACCELERATION}) or a turn taken at speed ({@value #HARSH_CORNERING}), measured on
 * the true (noise-free) motion.
 *
 * @param kind {@value #IDLING}, {@value #HARSH_BRAKING}, {@value #HARSH_ACCELERATION} or {@value
 *     #HARSH_CORNERING}
 * @param startedAt when the ignition went on, or the hard braking, acceleration or turn began
 * @param endedAt when the vehicle pulled away, stood still, was up to speed or out of the turn; the
 *     last sample's time if it was still going on ({@code open})
 * @param open true when the manoeuvre was still going on at the run's last sample
 * @param direction of a cornering, {@code left} or {@code right}; null for the other kinds (and in
 *     a truth directory written before cornering was recorded)
 */
public record TruthManoeuvre(
    String vehicleId,
    String identifier,
    String kind,
    Instant startedAt,
    Instant endedAt,
    boolean open,
    String direction) {

  public static final String IDLING = "idling";
  public static final String HARSH_BRAKING = "harsh_braking";
  public static final String HARSH_ACCELERATION = "harsh_acceleration";
  public static final String HARSH_CORNERING = "harsh_cornering";
}
