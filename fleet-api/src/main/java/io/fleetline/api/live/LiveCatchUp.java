package io.fleetline.api.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads back from Kafka what a resuming client missed and this instance does not hold: the records
 * between the position its {@code Last-Event-ID} names and a position this instance's channel
 * covers, kept for the client's fleet. Bounded by records read, by messages kept (what the client's
 * queue takes) and by time; past any bound, or when the records are no longer in Kafka, the stream
 * cannot be resumed.
 */
@Component
class LiveCatchUp {

  private static final Logger log = LoggerFactory.getLogger(LiveCatchUp.class);

  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaProperties kafka;
  private final LiveProperties properties;
  private final LiveRecords records;

  LiveCatchUp(KafkaProperties kafka, LiveProperties properties, JsonMapper json) {
    this.kafka = kafka;
    this.properties = properties;
    this.records = new LiveRecords(json, properties.pingsTopic());
  }

  /**
   * The fleet's messages from {@code from} up to {@code upTo} (exclusive), in each partition's
   * order, each with the position right after it as its id; {@code null} when they cannot all be
   * read within the bounds.
   */
  List<LiveMessage> read(UUID fleetId, FeedPosition from, FeedPosition upTo, LongSupplier seq) {
    Map<TopicPartition, Long> ends = new HashMap<>();
    Map<TopicPartition, Long> starts = new HashMap<>();
    gaps(properties.pingsTopic(), true, from, upTo, starts, ends);
    gaps(properties.eventsTopic(), false, from, upTo, starts, ends);
    if (ends.isEmpty()) {
      return List.of();
    }
    Map<String, Object> config = kafka.buildConsumerProperties();
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    long deadline = System.nanoTime() + properties.resumeTimeout().toNanos();
    long read = 0;
    List<LiveMessage> missed = new ArrayList<>();
    FeedPosition progress = from;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(ends.keySet());
      starts.forEach(consumer::seek);
      while (!ends.isEmpty()) {
        if (System.nanoTime() > deadline) {
          return null;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          Long end = ends.get(tp);
          if (end == null || record.offset() >= end) {
            continue;
          }
          if (++read > properties.resumeMaxRecords()) {
            return null;
          }
          boolean ping = records.isPing(record);
          progress = progress.with(ping, record.partition(), record.offset() + 1);
          LiveRecords.Shown shown = show(record, fleetId);
          if (shown != null) {
            if (missed.size() == properties.subscriberQueue()) {
              return null;
            }
            missed.add(
                new LiveMessage(
                    seq.getAsLong(),
                    shown.event(),
                    shown.data(),
                    progress.id(),
                    ping,
                    record.partition(),
                    record.offset()));
          }
        }
        ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      }
      return missed;
    } catch (KafkaException e) {
      // Typically the records were deleted by retention meanwhile (offset out of range).
      log.debug("Catching a live stream up failed: {}", e.toString());
      return null;
    }
  }

  private LiveRecords.Shown show(ConsumerRecord<String, byte[]> record, UUID fleetId) {
    try {
      return records.show(record, fleetId::equals);
    } catch (RuntimeException e) {
      return null; // unreadable: the live feed skips it too
    }
  }

  private static void gaps(
      String topic,
      boolean ping,
      FeedPosition from,
      FeedPosition upTo,
      Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> ends) {
    int partitions = ping ? upTo.pings().length : upTo.events().length;
    for (int p = 0; p < partitions; p++) {
      long start = from.of(ping, p);
      long end = upTo.of(ping, p);
      if (start < end) {
        starts.put(new TopicPartition(topic, p), start);
        ends.put(new TopicPartition(topic, p), end);
      }
    }
  }
}
