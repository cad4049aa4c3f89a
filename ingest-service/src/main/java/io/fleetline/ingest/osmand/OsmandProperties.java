package io.fleetline.ingest.osmand;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The OsmAnd endpoint ({@code fleetline.ingest.osmand.*}): its own HTTP port, path {@code /}, as
 * the Traccar Client apps expect. A position is well under 2 KB, so the limits are small.
 *
 * @param bindAddress interface to bind, {@code 0.0.0.0} for all
 * @param port the listening port; 0 picks a free one
 * @param maxBodySize largest body (form or JSON, after gzip decompression); larger is 413
 * @param maxQuerySize longest query string; longer is 414
 * @param maxHeaderSize largest block of headers; larger is answered 431
 * @param connectionTimeout how long the port waits for a request's next bytes (headers or body)
 *     before it gives up on the request and the connection
 * @param keepAliveTimeout how long an idle connection is kept open for the next request (there is
 *     no cap on the requests one connection may carry)
 * @param maxConnections connections the port holds open at once; more are closed when accepted
 * @param acceptCount connections the operating system queues before the port accepts them
 * @param ioThreads event loops serving the port's connections; they also validate each request and
 *     hand it to Kafka, which never blocks them, and no request holds one while Kafka acknowledges
 *     it
 */
@ConfigurationProperties("fleetline.ingest.osmand")
public record OsmandProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("0.0.0.0") String bindAddress,
    @DefaultValue("5055") int port,
    @DefaultValue("64KB") DataSize maxBodySize,
    @DefaultValue("4KB") DataSize maxQuerySize,
    @DefaultValue("8KB") DataSize maxHeaderSize,
    @DefaultValue("10s") Duration connectionTimeout,
    @DefaultValue("20s") Duration keepAliveTimeout,
    @DefaultValue("20000") int maxConnections,
    @DefaultValue("1024") int acceptCount,
    @DefaultValue("2") int ioThreads) {}
