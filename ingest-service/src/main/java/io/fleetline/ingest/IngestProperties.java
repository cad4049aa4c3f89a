package io.fleetline.ingest;

import io.fleetline.common.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the ingest-service ({@code fleetline.ingest.*}).
 *
 * @param publishTimeout how long a device waits for Kafka to make its pings durable before it is
 *     told to retry (HTTP 503); the producer's {@code delivery.timeout.ms} bounds each answer and
 *     must not exceed it, and what is left of it bounds how long an upload waits for Kafka's
 *     partitions while they are not known
 * @param retryAfter the {@code Retry-After} advice given with a 503
 * @param maxBatchSize most pings accepted in one HTTP request
 * @param maxBodyBytes largest HTTP body accepted, after gzip decompression
 * @param maxPingsInFlight pings (of all protocols) waiting for Kafka at once; bounds the memory a
 *     slow broker can make ingest hold
 * @param capacityWait how long an upload waits for room under that bound before it is refused
 */
@ConfigurationProperties("fleetline.ingest")
public record IngestProperties(
    @DefaultValue TopicNames topics,
    @DefaultValue("10s") Duration publishTimeout,
    @DefaultValue("5s") Duration retryAfter,
    @DefaultValue("1000") int maxBatchSize,
    @DefaultValue("4194304") int maxBodyBytes,
    @DefaultValue("50000") int maxPingsInFlight,
    @DefaultValue("1s") Duration capacityWait) {

  /**
   * Topic names and the partition count ingest creates the pings topic with when it is missing.
   * {@code replicationFactor}: copies of ingest's topics; where set it wins over {@code
   * fleetline.kafka.topics.replication-factor}; -1: that shared setting, and 1 where it is unset
   * too.
   */
  public record TopicNames(
      @DefaultValue(Topics.PINGS) String pings,
      @DefaultValue(Topics.PINGS_REJECTED) String rejected,
      @DefaultValue(Topics.DEVICES) String devices,
      @DefaultValue("12") int pingPartitions,
      @DefaultValue("-1") short replicationFactor) {}
}
