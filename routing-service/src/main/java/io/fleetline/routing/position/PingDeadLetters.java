package io.fleetline.routing.position;

import io.fleetline.routing.RoutingProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends the ping records routing cannot store to the dead-letter topic, so their partition moves
 * on: each with its original key, value and headers, plus headers saying why ({@link #REASON},
 * {@link #ERROR}, {@link #SQL_STATE}) and where it came from ({@link #TOPIC}, {@link #PARTITION},
 * {@link #OFFSET}); counted in {@code fleetline.routing.pings.dead.lettered} by reason.
 */
@Component
class PingDeadLetters {

  static final String REASON = "fleetline-dlt-reason";
  static final String ERROR = "fleetline-dlt-error";
  static final String SQL_STATE = "fleetline-dlt-sqlstate";
  static final String TOPIC = "fleetline-dlt-topic";
  static final String PARTITION = "fleetline-dlt-partition";
  static final String OFFSET = "fleetline-dlt-offset";

  /** The record is not a ping, or not one routing can store (see {@link StorablePing}). */
  static final String UNDECODABLE = "undecodable";

  /** The record is a ping the database refuses for its content. */
  static final String REFUSED = "refused";

  private static final Logger log = LoggerFactory.getLogger(PingDeadLetters.class);

  private final KafkaTemplate<String, byte[]> kafka;
  private final String topic;
  private final Counter undecodable;
  private final Counter refused;

  PingDeadLetters(
      KafkaTemplate<String, byte[]> kafka, RoutingProperties properties, MeterRegistry meters) {
    this.kafka = kafka;
    this.topic = properties.deadLetterTopic();
    this.undecodable = counter(meters, UNDECODABLE);
    this.refused = counter(meters, REFUSED);
  }

  private static Counter counter(MeterRegistry meters, String reason) {
    return Counter.builder("fleetline.routing.pings.dead.lettered")
        .description("Ping records sent to the dead-letter topic instead of being stored")
        .tag("reason", reason)
        .register(meters);
  }

  /**
   * Dead-letters a record that does not decode as a ping routing can store, for the reason given;
   * durable once the future completes.
   */
  CompletableFuture<?> undecodable(ConsumerRecord<String, byte[]> record, String reason) {
    String error = Refusal.bounded(reason);
    log.warn(
        "Undecodable ping at {}-{}@{} goes to {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        topic,
        error);
    undecodable.increment();
    return send(record, UNDECODABLE, null, error);
  }

  /** Dead-letters a ping the database refused; durable once the future completes. */
  CompletableFuture<?> refused(ConsumerRecord<String, byte[]> record, Refusal refusal) {
    log.error(
        "Ping at {}-{}@{} refused by the database (SQLSTATE {}: {}) goes to {}",
        record.topic(),
        record.partition(),
        record.offset(),
        refusal.sqlState(),
        refusal.message(),
        topic);
    refused.increment();
    return send(record, REFUSED, refusal.sqlState(), refusal.message());
  }

  private CompletableFuture<?> send(
      ConsumerRecord<String, byte[]> record, String reason, String sqlState, String error) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    for (String name : new String[] {REASON, ERROR, SQL_STATE, TOPIC, PARTITION, OFFSET}) {
      headers.remove(name); // only this service says why a record is here
    }
    add(headers, REASON, reason);
    add(headers, ERROR, error);
    if (sqlState != null) {
      add(headers, SQL_STATE, sqlState);
    }
    add(headers, TOPIC, record.topic());
    add(headers, PARTITION, Integer.toString(record.partition()));
    add(headers, OFFSET, Long.toString(record.offset()));
    return kafka.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers));
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
