package io.fleetline.simulator.truth;

import java.time.Instant;

/**
 * An invalid ping the simulator sent on purpose (chaos), with what ingest should do with it.
 *
 * @param vehicleId the vehicle it was sent for; {@code null} for {@code unknown_device}, whose
 *     identifier is registered nowhere
 * @param identifier the device identifier it was sent as
 * @param protocol {@code http}, {@code osmand}, {@code mqtt} or {@code teltonika}
 * @param recordedAt the event time it carried (or would have carried)
 * @param reason the reason code ingest gives: a rule name of its {@code PingValidator} such as
 *     {@code speed_out_of_range}, or {@code malformed} / {@code unknown_device}
 * @param detail what exactly was wrong with it, for humans
 * @param answer how ingest answers the device, one of the {@link Answers} constants
 * @param inRejectedTopic whether ingest should put it on {@code fleetline.pings.rejected} with
 *     {@code reason} (false when the device is refused outright: HTTP 400/401, OsmAnd 400/404,
 *     Teltonika handshake refused or connection closed)
 * @param observedReason the reason ingest told the device, where the protocol tells one (HTTP and
 *     OsmAnd item results), else {@code null}
 */
public record TruthInvalidPing(
    String vehicleId,
    String identifier,
    String protocol,
    Instant recordedAt,
    String reason,
    String detail,
    String answer,
    boolean inRejectedTopic,
    String observedReason) {}
