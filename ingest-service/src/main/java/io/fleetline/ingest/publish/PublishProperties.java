package io.fleetline.ingest.publish;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much ingest hands to the Kafka producer before Kafka acknowledges it ({@code
 * fleetline.ingest.publish.*}).
 *
 * @param maxBytesInFlight most bytes of records (key, value, headers and a framing allowance each)
 *     handed to the producer and not yet acknowledged; an upload past it is refused at once as not
 *     durable. It is held to half of the producer's {@code buffer.memory} less one batch per
 *     partition, so that a send never waits for room in the producer's buffer.
 * @param promptBelow while fewer uploads than this wait for Kafka's answer, an upload is sent at
 *     once instead of after the producer's {@code linger.ms}: a lone device is answered after one
 *     broker round trip, and only a busy ingest gathers pings into larger batches. 0: every upload
 *     waits for {@code linger.ms}; no effect when {@code linger.ms} is 0.
 */
@ConfigurationProperties("fleetline.ingest.publish")
record PublishProperties(
    @DefaultValue("12MB") DataSize maxBytesInFlight, @DefaultValue("64") int promptBelow) {

  PublishProperties {
    if (promptBelow < 0) {
      throw new IllegalArgumentException(
          "fleetline.ingest.publish.prompt-below must not be negative, was " + promptBelow);
    }
  }

  /** The defaults, for code outside Spring (tests). */
  static PublishProperties defaults() {
    return new PublishProperties(DataSize.ofMegabytes(12), 64);
  }
}
