package io.fleetline.ingest.teltonika;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Teltonika Codec 8 / 8 Extended TCP listener ({@code
 * fleetline.ingest.teltonika.*}).
 *
 * @param enabled whether the listener starts at all
 * @param port TCP port to listen on; 0 picks a free one (see {@link TeltonikaServer#port()})
 * @param bindAddress interface to bind, {@code 0.0.0.0} for all
 * @param idleTimeout a connection on which the device sent nothing for this long is closed
 * @param handshakeTimeout a connection that has not identified itself with an IMEI this long after
 *     it opened is closed, so that silent or scanning clients do not hold connection slots
 * @param maxConnections connections beyond this many are closed as soon as they are accepted
 * @param maxHandshakesPerSource connections from one remote address still waiting for their IMEI
 *     handshake; more from that address are closed as soon as they are accepted
 * @param maxConnectionsPerDevice identified connections one device may hold; a newer one closes the
 *     oldest (trackers reconnect without closing the old connection)
 * @param maxFrameBytes largest AVL data packet accepted, preamble to CRC; a larger one closes the
 *     connection
 * @param ioThreads Netty event loops for connections; 0 means Netty's default (twice the cores).
 *     They also decode packets and hand them to Kafka, which never blocks them
 */
@ConfigurationProperties("fleetline.ingest.teltonika")
record TeltonikaProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5027") int port,
    @DefaultValue("0.0.0.0") String bindAddress,
    @DefaultValue("10m") Duration idleTimeout,
    @DefaultValue("30s") Duration handshakeTimeout,
    @DefaultValue("10000") int maxConnections,
    @DefaultValue("64") int maxHandshakesPerSource,
    @DefaultValue("1") int maxConnectionsPerDevice,
    @DefaultValue("65536") int maxFrameBytes,
    @DefaultValue("0") int ioThreads) {}
