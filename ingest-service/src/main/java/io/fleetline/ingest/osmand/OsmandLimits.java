package io.fleetline.ingest.osmand;

import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.transport.TransportProperties;
import java.time.Duration;

/**
 * What one OsmAnd connection may take, gathered from the port's and ingest's settings.
 *
 * @param maxRequestTime how long a whole request (head and body) may take to arrive
 * @param maxDrainBytes how much of a request answered before its body was read is still read and
 *     dropped, so that a client still sending sees the answer
 */
record OsmandLimits(
    int maxBodyBytes,
    int maxQueryBytes,
    Duration maxRequestTime,
    Duration connectionTimeout,
    Duration keepAliveTimeout,
    long maxDrainBytes,
    long retryAfterSeconds) {

  static OsmandLimits of(
      OsmandProperties osmand, TransportProperties transport, IngestProperties ingest) {
    return new OsmandLimits(
        (int) osmand.maxBodySize().toBytes(),
        (int) osmand.maxQuerySize().toBytes(),
        transport.maxBodyReadTime(),
        osmand.connectionTimeout(),
        osmand.keepAliveTimeout(),
        transport.maxDrainSize().toBytes(),
        Math.max(1, ingest.retryAfter().toSeconds()));
  }
}
