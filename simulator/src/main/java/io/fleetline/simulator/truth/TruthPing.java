package io.fleetline.simulator.truth;

import java.time.Instant;

/**
 * A valid ping as the device sent it, in the units of the contract and quantised as the protocol
 * carries it (Teltonika: whole km/h, degrees and metres, coordinates to 1e-7°; OsmAnd: speed sent
 * in knots), so that it equals what the platform should store. {@code null} means the protocol did
 * not carry the field.
 *
 * @param acknowledged whether ingest acknowledged it (HTTP 202 / OsmAnd 200 / MQTT PUBACK /
 *     Teltonika record-count ack); an unacknowledged ping may or may not have been stored
 * @param gpsJump whether the position is one of the simulated occasional GPS outliers (then {@code
 *     accuracyM} is large too)
 */
public record TruthPing(
    String vehicleId,
    String identifier,
    String protocol,
    Instant recordedAt,
    double latitude,
    double longitude,
    Double speedKmh,
    Double headingDeg,
    Double altitudeM,
    Double accuracyM,
    Double odometerKm,
    Boolean ignition,
    boolean gpsJump,
    boolean acknowledged) {}
