package io.fleetline.ingest.transport;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much of ingest's HTTP capacity one client may take ({@code fleetline.ingest.transport.*}), on
 * the HTTP ping port and the OsmAnd port alike.
 *
 * @param maxRequestsPerSource requests from one remote address being read or handled at once;
 *     beyond it a request is answered 429 at once, its body unread, and its connection closed
 * @param maxBodyReadTime how long a whole request body may take to arrive (each read is also
 *     bounded by the connector's connection timeout)
 * @param maxDrainSize after an error answer to a request whose body was not read, at most this much
 *     of the body is read and discarded (so a client still sending sees the answer, not a
 *     connection reset) before the connection is closed
 */
@ConfigurationProperties("fleetline.ingest.transport")
public record TransportProperties(
    @DefaultValue("64") int maxRequestsPerSource,
    @DefaultValue("30s") Duration maxBodyReadTime,
    @DefaultValue("2MB") DataSize maxDrainSize) {}
