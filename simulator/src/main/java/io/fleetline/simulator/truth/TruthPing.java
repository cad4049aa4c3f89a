package io.fleetline.simulator.truth;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.fleetline.common.Measurements;
import java.time.Instant;

/**
 * A valid ping as the device sent it, in the units of the contract and quantised as the protocol
 * carries it (Teltonika: whole km/h, degrees and metres, coordinates to 1e-7°; OsmAnd: speed sent
 * in knots), so that it equals what the platform should store. {@code null} means the protocol did
 * not carry the field. The truth file writes the measurements as flat fields of the ping.
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
    @JsonUnwrapped Measurements measurements,
    boolean gpsJump,
    boolean acknowledged) {}
