package io.fleetline.api.testing;

import static org.awaitility.Awaitility.await;

import io.fleetline.common.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the compacted device registry topic from the beginning, as an ingest instance would. */
public final class RegistryTopic {

  private RegistryTopic() {}

  /** Waits until a record with the key matches, and returns all records of that key so far. */
  public static List<ConsumerRecord<String, byte[]>> awaitRecord(
      String brokers, String key, Predicate<ConsumerRecord<String, byte[]>> wanted) {
    try (var consumer =
        new KafkaConsumer<String, byte[]>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.DEVICES).stream()
              .map(p -> new TopicPartition(Topics.DEVICES, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (key.equals(r.key())) {
                            found.add(r);
                          }
                        });
                return found.stream().anyMatch(wanted);
              });
      return found;
    }
  }
}
