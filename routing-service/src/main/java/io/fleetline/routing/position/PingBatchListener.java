package io.fleetline.routing.position;

import io.fleetline.common.PingCodec;
import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Consumes pings in batches and stores each batch in one transaction. The container commits the
 * batch's offsets only after this method returns, i.e. after the database commit, so a crash at any
 * point leads to redelivery, which the idempotent writes absorb.
 *
 * <p>A batch the database refuses for the content of a ping ({@link Refusal}) is split in halves,
 * each stored on its own, recursing into a half that is refused again, until the refused ping is
 * alone: it goes to the dead-letter topic and the rest is stored, at the cost of about two attempts
 * per halving. Any other failure leaves the batch to the error handler, which redelivers all of it
 * after a back-off; the parts already committed then come back as duplicates, which change nothing.
 *
 * <p>A batch whose partitions another consumer claimed meanwhile ({@link PartitionFence}) rolls
 * back and is handed back to the container as failed at its first record: nothing of it is
 * committed, neither in the database nor as offsets, and the container seeks back, so whichever
 * consumer owns the partitions after the next poll stores it.
 */
@Component
class PingBatchListener {

  /** A ping with the record it came in. */
  private record Delivered(ConsumerRecord<String, byte[]> record, VehiclePing ping) {

    String partition() {
      return PingPartitions.name(record.topic(), record.partition());
    }
  }

  /** What the parts of a batch stored. */
  private static final class Outcome {
    final List<VehiclePing> stored = new ArrayList<>();
    final List<VehicleEvent> newEvents = new ArrayList<>();
    final List<CompletableFuture<?>> deadLettered = new ArrayList<>();
    int attempts;
    int refusals;
  }

  private static final Logger log = LoggerFactory.getLogger(PingBatchListener.class);

  private final PositionWriter writer;
  private final EventPublisher events;
  private final PingConsumerHealth health;
  private final PingDeadLetters deadLetters;
  private final Timer receivedToStored;
  private final DistributionSummary batchSize;
  private final Timer batchDuration;
  private final MeterRegistry meters;
  private final PartitionSettings partitions;
  private final PartitionFence fence;

  PingBatchListener(
      PositionWriter writer,
      EventPublisher events,
      PingConsumerHealth health,
      PingDeadLetters deadLetters,
      MeterRegistry meters,
      PartitionSettings partitions,
      PartitionFence fence) {
    this.partitions = partitions;
    this.fence = fence;
    this.writer = writer;
    this.events = events;
    this.health = health;
    this.deadLetters = deadLetters;
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
    List<Delivered> pings = new ArrayList<>(records.size());
    List<CompletableFuture<?>> undecodable = new ArrayList<>();
    Instant received = Instant.now();
    Instant oldest = received.minus(partitions.retention());
    Instant newest = received.plus(partitions.clockSkew());
    for (ConsumerRecord<String, byte[]> record : records) {
      VehiclePing ping;
      try {
        ping = PingCodec.read(record.value());
      } catch (RuntimeException e) {
        undecodable.add(deadLetters.undecodable(record, e.getMessage()));
        continue;
      }
      String problem = StorablePing.problem(ping, oldest, newest);
      if (problem == null) {
        pings.add(new Delivered(record, ping));
      } else {
        undecodable.add(deadLetters.undecodable(record, problem));
      }
    }
    // The dead letters must be durable before the offsets that skip them are committed.
    awaitAll(undecodable);
    Outcome outcome = new Outcome();
    try {
      fence.claimUnclaimed(partitionsOf(records));
      store(pings, outcome);
      awaitAll(outcome.deadLettered);
    } catch (PartitionFence.PartitionFenced e) {
      fence.fenced(e.partitions());
      meters.counter("fleetline.routing.batches.fenced").increment();
      log.warn("A batch of {} pings rolled back: {}", pings.size(), e.getMessage());
      // Parts of a split batch committed before the fence: their new events are not new later.
      events.publish(outcome.newEvents);
      throw new BatchListenerFailedException(e.getMessage(), e, 0);
    } catch (SQLException | RuntimeException e) {
      // The error handler redelivers the batch after a back-off; until one succeeds, not ready.
      health.failed(e);
      // Parts of a split batch may have committed: their new events are not new on redelivery.
      events.publish(outcome.newEvents);
      throw e;
    }
    health.stored();
    if (outcome.refusals > 0) {
      log.warn(
          "Stored {} of {} pings in {} attempts, {} refused by the database",
          outcome.stored.size(),
          pings.size(),
          outcome.attempts,
          outcome.deadLettered.size());
    }
    batchDuration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    Instant now = Instant.now();
    for (VehiclePing ping : outcome.stored) {
      receivedToStored.record(Duration.between(ping.receivedAt(), now));
    }
    batchSize.record(outcome.stored.size());
    // After the commits: only events stored for the first time are published.
    events.publish(outcome.newEvents);
  }

  /**
   * Stores the pings in one transaction or, should the database refuse one of them, in parts
   * without it.
   */
  private void store(List<Delivered> part, Outcome outcome) throws SQLException {
    List<VehiclePing> pings = new ArrayList<>(part.size());
    Map<UUID, String> ownerOf = new HashMap<>();
    for (Delivered d : part) {
      pings.add(d.ping());
      ownerOf.put(d.ping().vehicleId(), d.partition());
    }
    StoredBatch batch;
    try {
      outcome.attempts++;
      batch = writer.write(pings, ownerOf);
    } catch (SQLException e) {
      Refusal refusal = Refusal.of(e);
      if (refusal == null) {
        throw e;
      }
      if (outcome.refusals++ == 0 && part.size() > 1) {
        log.warn(
            "A batch of {} pings was refused by the database (SQLSTATE {}: {}): storing it in parts"
                + " to isolate the refused ping",
            part.size(),
            refusal.sqlState(),
            refusal.message());
      }
      if (part.size() == 1) {
        outcome.deadLettered.add(deadLetters.refused(part.get(0).record(), refusal));
        return;
      }
      // Kafka's order is kept: each vehicle's pings still reach the writer oldest part first.
      int half = part.size() / 2;
      store(part.subList(0, half), outcome);
      store(part.subList(half, part.size()), outcome);
      return;
    }
    // Counted per committed part: a redelivery after a later part failed finds these duplicates.
    meters.counter("fleetline.routing.pings.stored").increment(batch.inserted());
    meters.counter("fleetline.routing.pings.duplicate").increment(pings.size() - batch.inserted());
    outcome.stored.addAll(pings);
    outcome.newEvents.addAll(batch.newEvents());
  }

  /** The partitions the records come from, each named once per run of records from it. */
  private static Set<String> partitionsOf(List<ConsumerRecord<String, byte[]>> records) {
    Set<String> names = new TreeSet<>();
    ConsumerRecord<String, byte[]> previous = null;
    for (ConsumerRecord<String, byte[]> record : records) {
      if (previous == null
          || previous.partition() != record.partition()
          || !previous.topic().equals(record.topic())) {
        names.add(PingPartitions.name(record.topic(), record.partition()));
      }
      previous = record;
    }
    return names;
  }

  private static void awaitAll(List<CompletableFuture<?>> sent) {
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
  }
}
