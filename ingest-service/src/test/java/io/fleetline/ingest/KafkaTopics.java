package io.fleetline.ingest;

import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test access to the real broker's topics: registering devices and reading what ingest wrote. */
public final class KafkaTopics {

  private final String brokers;

  public KafkaTopics(String brokers) {
    this.brokers = brokers;
  }

  /** Publishes registrations to the devices topic as fleet-api would, and waits for the acks. */
  public void register(DeviceRegistration... registrations) throws Exception {
    try (var producer =
        new KafkaProducer<String, byte[]>(
            Map.of(
                "bootstrap.servers", brokers,
                "key.serializer", StringSerializer.class,
                "value.serializer", ByteArraySerializer.class))) {
      for (DeviceRegistration r : registrations) {
        producer
            .send(new ProducerRecord<>(Topics.DEVICES, r.key().toString(), FleetlineJson.write(r)))
            .get();
      }
    }
  }

  /** Publishes the tombstone with which fleet-api removes a device, and waits for the ack. */
  public void unregister(io.fleetline.common.DeviceKey key) throws Exception {
    try (var producer =
        new KafkaProducer<String, byte[]>(
            Map.of(
                "bootstrap.servers", brokers,
                "key.serializer", StringSerializer.class,
                "value.serializer", ByteArraySerializer.class))) {
      producer.send(new ProducerRecord<>(Topics.DEVICES, key.toString(), null)).get();
    }
  }

  /** Every record the topic holds now, read from the beginning to its current end. */
  public List<ConsumerRecord<String, byte[]>> all(String topic) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (var consumer = fromTheBeginning(topic)) {
      List<TopicPartition> partitions = List.copyOf(consumer.assignment());
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      org.awaitility.Awaitility.await(topic + " read to its end")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
              });
    }
    return found;
  }

  /** The ping of the pings topic with this event time (tests give each ping its own time). */
  public VehiclePing awaitPing(java.time.Instant recordedAt) {
    return FleetlineJson.read(
        await(
                Topics.PINGS,
                r ->
                    FleetlineJson.read(r.value(), VehiclePing.class)
                        .recordedAt()
                        .equals(recordedAt),
                1)
            .get(0)
            .value(),
        VehiclePing.class);
  }

  /** Reads the topic from the beginning until {@code count} records match. */
  public List<ConsumerRecord<String, byte[]>> await(
      String topic, Predicate<ConsumerRecord<String, byte[]>> match, int count) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (var consumer = fromTheBeginning(topic)) {
      List<TopicPartition> partitions = List.copyOf(consumer.assignment());
      org.awaitility.Awaitility.await(topic + " has " + count + " matching records")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  if (match.test(r)) {
                    found.add(r);
                  }
                }
                return found.size() >= count;
              });
    }
    return found;
  }

  /** A consumer assigned every partition of {@code topic}, positioned at its beginning. */
  private KafkaConsumer<String, byte[]> fromTheBeginning(String topic) {
    var consumer =
        new KafkaConsumer<String, byte[]>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }
}
