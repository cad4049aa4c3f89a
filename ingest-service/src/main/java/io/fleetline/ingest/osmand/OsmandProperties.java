package io.fleetline.ingest.osmand;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The OsmAnd endpoint ({@code fleetline.ingest.osmand.*}): its own HTTP port, path {@code /}, as
 * the Traccar Client apps expect. A position is well under 2 KB, so the limits are small.
 *
 * @param port the listening port; 0 picks a free one
 * @param maxBodySize largest body (form or JSON, after gzip decompression); larger is 413
 * @param maxQuerySize longest query string; longer is 414
 * @param maxHeaderSize largest request line and headers together; Tomcat answers larger with 400
 * @param connectionTimeout how long the connector waits for the request's next bytes (headers or
 *     body) before it gives up on the connection
 * @param keepAliveTimeout how long an idle connection is kept open for the next request
 * @param maxConnections connections the port holds open at once; more wait in the accept queue
 * @param acceptCount connections queued by the operating system beyond {@code maxConnections}
 * @param maxThreads worker threads of the OsmAnd port (its own pool, apart from the ping port's)
 */
@ConfigurationProperties("fleetline.ingest.osmand")
public record OsmandProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5055") int port,
    @DefaultValue("64KB") DataSize maxBodySize,
    @DefaultValue("4KB") DataSize maxQuerySize,
    @DefaultValue("8KB") DataSize maxHeaderSize,
    @DefaultValue("10s") Duration connectionTimeout,
    @DefaultValue("20s") Duration keepAliveTimeout,
    @DefaultValue("4096") int maxConnections,
    @DefaultValue("100") int acceptCount,
    @DefaultValue("100") int maxThreads) {}
