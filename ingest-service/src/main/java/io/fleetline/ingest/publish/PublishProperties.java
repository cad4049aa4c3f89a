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
 */
@ConfigurationProperties("fleetline.ingest.publish")
record PublishProperties(@DefaultValue("12MB") DataSize maxBytesInFlight) {

  /** The defaults, for code outside Spring (tests). */
  static PublishProperties defaults() {
    return new PublishProperties(DataSize.ofMegabytes(12));
  }
}
