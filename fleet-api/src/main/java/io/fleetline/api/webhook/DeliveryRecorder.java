package io.fleetline.api.webhook;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.VehicleEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the events topic into deliveries: one consumer group shared by every instance reads the
 * events, records one delivery per matching subscription and event (idempotently, so a redelivered
 * record adds nothing), and commits the offsets only after the database commit. A restart resumes
 * from the last commit: nothing read is lost, and what is read twice is recorded once.
 */
@Component
class DeliveryRecorder implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRecorder.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(2);

  /**
   * Delivered only to subscriptions of this type: to those that list the type of the event it
   * retracts too, or that list no other type.
   */
  private static final String RETRACTED = VehicleEvent.EVENT_RETRACTED;

  private static final String RECORD =
      """
      INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, vehicle_id,
                                      ordering_key, payload, next_attempt_at)
      SELECT s.id, ?, ?, ?, ?, ?, now()
      FROM webhook_subscriptions s
      WHERE s.fleet_id = ? AND s.enabled AND ? = ANY (s.event_types)
        AND (CAST(? AS text) IS NULL OR ? = ANY (s.event_types)
             OR s.event_types <@ ARRAY['event_retracted'])
        AND (s.vehicle_ids IS NULL OR CAST(? AS uuid) IS NULL OR ? = ANY (s.vehicle_ids))
      ON CONFLICT ON CONSTRAINT webhook_deliveries_subscription_event_key DO NOTHING""";

  private final KafkaProperties kafka;
  private final WebhookProperties properties;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final DeliveryDispatcher dispatcher;

  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running;
  private volatile boolean assigned;
  private volatile String stoppedBy;
  private volatile String pollFailure;
  private Thread thread;

  DeliveryRecorder(
      KafkaProperties kafka,
      WebhookProperties properties,
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      DeliveryDispatcher dispatcher) {
    this.kafka = kafka;
    this.properties = properties;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.dispatcher = dispatcher;
  }

  /**
   * One event as a delivery needs it.
   *
   * @param retractedType for a retraction, the type of the event it retracts; else {@code null}
   */
  record Event(
      long id, String type, String retractedType, UUID fleetId, UUID vehicleId, String payload) {}

  @Override
  public synchronized void start() {
    if (!properties.enabled() || running) {
      return;
    }
    Map<String, Object> config = kafka.buildConsumerProperties();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group starts at the end: subscriptions see events from their creation on.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 10_000);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer = new KafkaConsumer<>(config);
    assigned = false;
    stoppedBy = null;
    pollFailure = null;
    running = true;
    thread = new Thread(this::run, "webhook-delivery-recorder");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    KafkaConsumer<String, byte[]> consumer = this.consumer;
    try {
      consumer.subscribe(
          List.of(properties.eventsTopic()),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              // Fixes where reading starts before telling anyone the partitions are read.
              partitions.forEach(consumer::position);
              assigned = true;
            }
          });
      while (running) {
        ConsumerRecords<String, byte[]> records;
        try {
          records = consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
          continue;
        } catch (RuntimeException e) {
          // E.g. the broker not answering while partitions are assigned: the consumer stays
          // usable, and reading resumes from the committed offsets.
          pollFailure = e.toString();
          log.warn("Reading the events for webhooks failed, trying again: {}", pollFailure);
          pause(RETRY_AFTER_FAILURE);
          continue;
        }
        pollFailure = null;
        if (records.isEmpty()) {
          continue;
        }
        try {
          int recorded = record(records);
          consumer.commitSync();
          if (recorded > 0) {
            dispatcher.wake();
          }
        } catch (WakeupException e) {
          rewind(consumer, records); // stopping: the uncommitted records are read again later
        } catch (RuntimeException e) {
          log.warn(
              "Recording webhook deliveries failed, reading the events again: {}", e.toString());
          rewind(consumer, records);
          pause(RETRY_AFTER_FAILURE);
        }
      }
    } catch (RuntimeException e) {
      stoppedBy = e.toString();
      log.error("The webhook delivery recorder stopped", e);
    } finally {
      assigned = false;
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** Records the deliveries of a batch in one transaction; returns how many rows it added. */
  private int record(ConsumerRecords<String, byte[]> records) {
    List<Event> events = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      Event event = event(record);
      if (event != null) {
        events.add(event);
      }
    }
    if (events.isEmpty()) {
      return 0;
    }
    Integer added =
        transactions.execute(
            status -> {
              int sum = 0;
              for (int[] batch :
                  jdbc.batchUpdate(
                      RECORD,
                      events,
                      500,
                      (s, e) -> {
                        s.setLong(1, e.id());
                        s.setString(2, e.type());
                        s.setObject(3, e.vehicleId(), Types.OTHER);
                        s.setObject(4, e.vehicleId() == null ? e.fleetId() : e.vehicleId());
                        s.setString(5, e.payload());
                        s.setObject(6, e.fleetId());
                        s.setString(7, e.type());
                        s.setString(8, e.retractedType());
                        s.setString(9, e.retractedType());
                        s.setObject(10, e.vehicleId(), Types.OTHER);
                        s.setObject(11, e.vehicleId(), Types.OTHER);
                      })) {
                for (int rows : batch) {
                  sum += Math.max(0, rows);
                }
              }
              return sum;
            });
    return added == null ? 0 : added;
  }

  /**
   * The event of a record, with the body a delivery posts ({@code type}, {@code timestamp}, {@code
   * data}: the event as the feed shows it), or {@code null} for a record that names no event.
   */
  static Event event(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      JsonNode node = FleetlineJson.mapper().readTree(record.value());
      if (!(node instanceof ObjectNode data)) {
        return null;
      }
      long id = data.path("id").asLong(0);
      String type = data.path("type").asString(null);
      UUID fleetId = uuid(data.path("fleetId"));
      Header header = record.headers().lastHeader(PingHeaders.FLEET_ID);
      if (fleetId == null && header != null) {
        fleetId = UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
      }
      if (id <= 0 || type == null || fleetId == null) {
        return null;
      }
      UUID vehicleId = uuid(data.path("vehicleId"));
      String retractedType =
          RETRACTED.equals(type) ? data.path("details").path("retractedType").asString(type) : null;
      data.remove(List.of("v", "fleetId"));
      ObjectNode body = FleetlineJson.mapper().createObjectNode();
      body.put("type", type);
      body.set("timestamp", data.path("occurredAt"));
      body.set("data", data);
      return new Event(id, type, retractedType, fleetId, vehicleId, body.toString());
    } catch (RuntimeException e) {
      log.debug("Skipping an unreadable event record: {}", e.getMessage());
      return null;
    }
  }

  private static UUID uuid(JsonNode node) {
    return node.isString() ? UUID.fromString(node.asString()) : null;
  }

  private static void rewind(
      KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      long first = records.records(partition).get(0).offset();
      try {
        consumer.seek(partition, new OffsetAndMetadata(first));
      } catch (IllegalStateException e) {
        // no longer assigned: its next owner starts from the committed offset
      }
    }
  }

  private void pause(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    while (running && System.nanoTime() < until) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Why the recorder cannot read the events while it should run (it stopped, or its last read
   * failed and it is trying again), or {@code null} when it reads them.
   */
  String trouble() {
    if (!running) {
      return null;
    }
    String stopped = stoppedBy;
    return stopped != null ? "stopped: " + stopped : pollFailure;
  }

  /** Whether the events partitions are assigned, so that new events will be recorded. */
  boolean assigned() {
    return assigned;
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
