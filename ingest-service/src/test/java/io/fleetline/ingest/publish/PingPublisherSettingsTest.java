package io.fleetline.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.ingest.IngestProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The producer settings the publisher relies on are checked when it is built, not at the worst
 * time.
 */
class PingPublisherSettingsTest {

  static IngestProperties ingest(Duration publishTimeout, int partitions) {
    return new IngestProperties(
        new IngestProperties.TopicNames("p", "r", "d", partitions, (short) 1),
        publishTimeout,
        Duration.ofSeconds(5),
        1000,
        1 << 20,
        50_000,
        Duration.ofSeconds(1));
  }

  static KafkaTemplate<String, byte[]> producer(Map<String, Object> settings) {
    Map<String, Object> config = new HashMap<>(settings);
    config.put("bootstrap.servers", "127.0.0.1:9");
    config.put("key.serializer", StringSerializer.class);
    config.put("value.serializer", ByteArraySerializer.class);
    return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
  }

  @Test
  void aDeliveryTimeoutLongerThanThePublishTimeoutIsRefusedAtStartUp() {
    var kafka = producer(Map.of("delivery.timeout.ms", "120000"));

    assertThatThrownBy(() -> new PingPublisher(kafka, ingest(Duration.ofSeconds(10), 12), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("delivery.timeout.ms")
        .hasMessageContaining("publish-timeout");
  }

  @Test
  void kafkasOwnDeliveryTimeoutOfTwoMinutesCountsWhenNoneIsSet() {
    var kafka = producer(Map.of());

    assertThatThrownBy(() -> new PingPublisher(kafka, ingest(Duration.ofSeconds(10), 12), null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theByteBudgetIsHeldToHalfTheProducersBufferLessABatchPerPartition() {
    var kafka =
        producer(
            Map.of("delivery.timeout.ms", 9000, "buffer.memory", 32L << 20, "batch.size", 131072));

    PingPublisher publisher =
        new PingPublisher(
            kafka,
            ingest(Duration.ofSeconds(10), 48),
            new PublishProperties(DataSize.ofMegabytes(100), 64),
            null);

    // 96 partitions (pings and rejected) of 128 KiB batches leave 20 MiB, of which half is used.
    assertThat(publisher.maxBytesInFlight()).isEqualTo(10 << 20);
  }

  @Test
  void theDefaultByteBudgetFitsTheDefaultBuffer() {
    var kafka =
        producer(
            Map.of("delivery.timeout.ms", 9000, "buffer.memory", 32L << 20, "batch.size", 131072));

    PingPublisher publisher = new PingPublisher(kafka, ingest(Duration.ofSeconds(10), 12), null);

    assertThat(publisher.maxBytesInFlight()).isEqualTo(12 << 20);
  }

  @Test
  void aNegativePromptLimitIsRefusedAtStartUp() {
    assertThatThrownBy(() -> new PublishProperties(DataSize.ofMegabytes(12), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prompt-below");
  }

  @Test
  void aBufferWithNoRoomBesideItsBatchesIsRefusedAtStartUp() {
    var kafka =
        producer(
            Map.of("delivery.timeout.ms", 9000, "buffer.memory", 1 << 20, "batch.size", 131072));

    assertThatThrownBy(() -> new PingPublisher(kafka, ingest(Duration.ofSeconds(10), 12), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("buffer.memory");
  }
}
