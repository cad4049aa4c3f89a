package io.fleetline.routing.position;

import io.fleetline.common.PingCodec;
import io.fleetline.common.VehiclePing;
import io.fleetline.routing.RoutingProperties;
import io.fleetline.routing.event.EventPublisher;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Consumes pings in batches and stores each batch in one transaction. The container commits the
 * batch's offsets only after this method returns, i.e. after the database commit, so a crash at any
 * point leads to redelivery, which the idempotent writes absorb.
 */
@Component
class PingBatchListener {

  private static final Logger log = LoggerFactory.getLogger(PingBatchListener.class);

  private final PositionWriter writer;
  private final EventPublisher events;
  private final PingConsumerHealth health;
  private final KafkaTemplate<String, byte[]> deadLetters;
  private final RoutingProperties properties;
  private final Timer receivedToStored;
  private final DistributionSummary batchSize;
  private final Timer batchDuration;
  private final MeterRegistry meters;

  PingBatchListener(
      PositionWriter writer,
      EventPublisher events,
      PingConsumerHealth health,
      KafkaTemplate<String, byte[]> deadLetters,
      RoutingProperties properties,
      MeterRegistry meters) {
    this.writer = writer;
    this.events = events;
    this.health = health;
    this.deadLetters = deadLetters;
    this.properties = properties;
    this.meters = meters;
    this.receivedToStored =
        Timer.builder("fleetline.routing.received.to.stored")
            .description("From ingest accepting a ping to its batch being committed")
            .publishPercentileHistogram()
            .publishPercentiles(0.5, 0.95, 0.99)
            .distributionStatisticExpiry(Duration.ofMinutes(5))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(meters);
    this.batchSize =
        DistributionSummary.builder("fleetline.routing.batch.size")
            .description("Pings per stored batch")
            .register(meters);
    this.batchDuration =
        Timer.builder("fleetline.routing.batch.duration")
            .description("From a batch's delivery to its commit: decoding, storing, deriving")
            .publishPercentiles(0.5, 0.99)
            .distributionStatisticExpiry(Duration.ofMinutes(5))
            .register(meters);
  }

  @KafkaListener(
      id = "pings",
      topics = "${fleetline.routing.pings-topic:fleetline.pings}",
      groupId = "${fleetline.routing.consumer-group:fleetline-routing}",
      concurrency = "${fleetline.routing.concurrency:2}",
      batch = "true")
  void onBatch(List<ConsumerRecord<String, byte[]>> records) throws SQLException {
    long started = System.nanoTime();
    List<VehiclePing> pings = new ArrayList<>(records.size());
    List<CompletableFuture<?>> deadLettered = new ArrayList<>();
    Map<UUID, String> ownerOf = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        VehiclePing ping = PingCodec.read(record.value());
        pings.add(ping);
        ownerOf.put(ping.vehicleId(), PingPartitions.name(record.topic(), record.partition()));
      } catch (RuntimeException e) {
        log.warn(
            "Undecodable ping at {}-{}@{} goes to {}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            properties.deadLetterTopic(),
            e.getMessage());
        deadLettered.add(deadLetter(record));
      }
    }
    // The dead letters must be durable before the offsets that skip them are committed.
    CompletableFuture.allOf(deadLettered.toArray(CompletableFuture[]::new)).join();
    StoredBatch batch;
    try {
      batch = writer.write(pings, ownerOf);
    } catch (SQLException | RuntimeException e) {
      // The error handler redelivers the batch after a back-off; until one succeeds, not ready.
      health.failed(e);
      throw e;
    }
    health.stored();
    batchDuration.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    int stored = batch.inserted();
    Instant now = Instant.now();
    for (VehiclePing ping : pings) {
      receivedToStored.record(Duration.between(ping.receivedAt(), now));
    }
    batchSize.record(pings.size());
    meters.counter("fleetline.routing.pings.stored").increment(stored);
    meters.counter("fleetline.routing.pings.duplicate").increment(pings.size() - stored);
    // After the commit: only events stored for the first time are published.
    events.publish(batch.newEvents());
  }

  private CompletableFuture<?> deadLetter(ConsumerRecord<String, byte[]> record) {
    var dead =
        new ProducerRecord<>(
            properties.deadLetterTopic(), null, record.key(), record.value(), record.headers());
    return deadLetters.send(dead);
  }
}
