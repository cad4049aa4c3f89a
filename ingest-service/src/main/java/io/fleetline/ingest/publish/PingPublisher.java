package io.fleetline.ingest.publish;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.IngestProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes validated pings (key = vehicle id, so a vehicle's pings stay ordered in one partition)
 * and rejected originals, and returns only once Kafka has acknowledged every one of them. That wait
 * is what lets a protocol adapter acknowledge a device: nothing acknowledged is ever lost.
 */
@Component
public class PingPublisher {

  private final KafkaTemplate<String, byte[]> kafka;
  private final IngestProperties properties;
  private final MeterRegistry meters;

  public PingPublisher(
      KafkaTemplate<String, byte[]> kafka, IngestProperties properties, MeterRegistry meters) {
    this.kafka = kafka;
    this.properties = properties;
    this.meters = meters;
  }

  /**
   * Sends both lists and blocks until all are durable.
   *
   * @throws PingsNotDurableException when Kafka failed or did not answer within the publish timeout
   */
  public void publish(List<VehiclePing> accepted, List<RejectedPing> rejected) {
    List<CompletableFuture<?>> acks = new ArrayList<>(accepted.size() + rejected.size());
    try {
      for (VehiclePing ping : accepted) {
        acks.add(kafka.send(pingRecord(ping)));
      }
      for (RejectedPing ping : rejected) {
        acks.add(kafka.send(rejectedRecord(ping)));
      }
    } catch (RuntimeException e) {
      throw new PingsNotDurableException("Kafka refused the pings: " + e.getMessage(), e);
    }
    long started = System.nanoTime();
    await(acks, properties.publishTimeout());
    if (meters != null) {
      sendLatency().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
    countOutcomes(accepted, rejected);
  }

  /** One counter update per protocol and reason, not per ping: this runs for every upload. */
  private void countOutcomes(List<VehiclePing> accepted, List<RejectedPing> rejected) {
    if (meters == null) {
      return;
    }
    accepted.stream()
        .collect(Collectors.groupingBy(VehiclePing::protocol, Collectors.counting()))
        .forEach(
            (protocol, n) ->
                meters
                    .counter("fleetline.ingest.pings.accepted", "protocol", protocol)
                    .increment(n));
    rejected.stream()
        .collect(
            Collectors.groupingBy(
                p -> List.of(p.protocol(), p.rejection().reason()), Collectors.counting()))
        .forEach(
            (key, n) ->
                meters
                    .counter(
                        "fleetline.ingest.pings.rejected",
                        "protocol",
                        key.get(0),
                        "reason",
                        key.get(1))
                    .increment(n));
  }

  /** From handing an upload to the producer until Kafka acknowledged all of it. */
  private Timer sendLatency() {
    return Timer.builder("fleetline.ingest.kafka.send")
        .description("Time until Kafka acknowledged every record of an upload")
        .publishPercentileHistogram()
        .register(meters);
  }

  private ProducerRecord<String, byte[]> pingRecord(VehiclePing ping) {
    var record =
        new ProducerRecord<>(
            properties.topics().pings(), ping.vehicleId().toString(), FleetlineJson.write(ping));
    Headers headers = record.headers();
    header(headers, PingHeaders.FLEET_ID, ping.fleetId().toString());
    header(headers, PingHeaders.PROTOCOL, ping.protocol());
    header(headers, PingHeaders.RECEIVED_AT, ping.receivedAt().toString());
    return record;
  }

  private ProducerRecord<String, byte[]> rejectedRecord(RejectedPing ping) {
    var record = new ProducerRecord<>(properties.topics().rejected(), ping.key(), ping.original());
    Headers headers = record.headers();
    header(headers, PingHeaders.REJECT_REASON, ping.rejection().reason());
    header(headers, PingHeaders.REJECT_DETAIL, ping.rejection().detail());
    header(headers, PingHeaders.PROTOCOL, ping.protocol());
    header(headers, PingHeaders.RECEIVED_AT, ping.receivedAt().toString());
    if (ping.fleetId() != null) {
      header(headers, PingHeaders.FLEET_ID, ping.fleetId().toString());
    }
    return record;
  }

  private static void header(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void await(List<CompletableFuture<?>> acks, Duration timeout) {
    try {
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new PingsNotDurableException("Kafka did not store the pings", e.getCause());
    } catch (TimeoutException e) {
      throw new PingsNotDurableException("Kafka did not acknowledge within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PingsNotDurableException("interrupted while waiting for Kafka", e);
    }
  }
}
