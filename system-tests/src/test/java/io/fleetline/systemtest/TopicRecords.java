package io.fleetline.systemtest;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;

/**
 * Reads a whole topic from the beginning to its current end, as an operator's tool would: the
 * rejected pings with their reason header, or the accepted pings (to tell, when a stored ping is
 * missing, whether it was lost before Kafka or after).
 */
final class TopicRecords {

  /**
   * One rejected record; {@code fleetId} is null when ingest could not attribute it, {@code
   * recordedAt} lists the event times found in the original payload when it is JSON (HTTP, MQTT).
   */
  record Rejected(
      String key, String reason, String protocol, String fleetId, List<Instant> recordedAt) {}

  private TopicRecords() {}

  /** Everything on {@code fleetline.pings.rejected} now. */
  static List<Rejected> rejected(String bootstrapServers) {
    return read(
        bootstrapServers,
        Topics.PINGS_REJECTED,
        record ->
            new Rejected(
                record.key(),
                header(record, PingHeaders.REJECT_REASON),
                header(record, PingHeaders.PROTOCOL),
                header(record, PingHeaders.FLEET_ID),
                recordedAt(record.value())));
  }

  /** The {@code recordedAt} of each ping in a JSON payload (one ping or an array), if readable. */
  private static List<Instant> recordedAt(byte[] payload) {
    List<Instant> times = new ArrayList<>();
    try {
      JsonNode json = FleetlineJson.mapper().readTree(payload);
      for (JsonNode ping : json.isArray() ? json : List.of(json)) {
        JsonNode time = ping.get("recordedAt");
        if (time != null && time.isString()) {
          times.add(Instant.parse(time.stringValue()));
        }
      }
    } catch (RuntimeException e) {
      // not JSON (Teltonika, OsmAnd), or not pings: no times to tell
    }
    return times;
  }

  /** An accepted ping on {@code fleetline.pings}: its key (the vehicle id) and event time. */
  record Accepted(String vehicleId, Instant recordedAt) {}

  /** Everything on {@code fleetline.pings} now. */
  static List<Accepted> accepted(String bootstrapServers) {
    return read(
        bootstrapServers,
        Topics.PINGS,
        record ->
            new Accepted(
                record.key(),
                Instant.parse(
                    FleetlineJson.mapper()
                        .readTree(record.value())
                        .get("recordedAt")
                        .stringValue())));
  }

  /** The keys (vehicle ids) of everything on routing's dead-letter topic now. */
  static List<String> deadLettered(String bootstrapServers) {
    return read(bootstrapServers, Topics.PINGS + ".dlt", ConsumerRecord::key);
  }

  private static <T> List<T> read(
      String bootstrapServers, String topic, Function<ConsumerRecord<String, byte[]>, T> mapper) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "system-test-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            10_000);
    List<T> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          records.add(mapper.apply(record));
        }
      }
    }
    return records;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
