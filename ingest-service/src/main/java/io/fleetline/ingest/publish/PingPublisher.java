package io.fleetline.ingest.publish;

import io.fleetline.common.IsoTime;
import io.fleetline.common.PingCodec;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.IngestProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes validated pings (key = vehicle id, so a vehicle's pings stay ordered in one partition)
 * and rejected originals, and reports them done only once Kafka has acknowledged every one of them.
 * That wait is what lets a protocol adapter acknowledge a device: nothing acknowledged is ever
 * lost.
 */
@Component
public class PingPublisher {

  private static final int MAX_DETAIL_CHARS = 1024;

  private final KafkaTemplate<String, byte[]> kafka;
  private final IngestProperties properties;
  private final MeterRegistry meters;
  private final Timer sendLatency;

  public PingPublisher(
      KafkaTemplate<String, byte[]> kafka, IngestProperties properties, MeterRegistry meters) {
    this.kafka = kafka;
    this.properties = properties;
    this.meters = meters;
    // From handing an upload to the producer until Kafka acknowledged all of it.
    this.sendLatency =
        meters == null
            ? null
            : Timer.builder("fleetline.ingest.kafka.send")
                .description("Time until Kafka acknowledged every record of an upload")
                .publishPercentileHistogram()
                .register(meters);
  }

  /**
   * Sends both lists and blocks until all are durable.
   *
   * @throws PingsNotDurableException when Kafka failed or did not answer within the publish timeout
   */
  public void publish(List<VehiclePing> accepted, List<RejectedPing> rejected) {
    CompletableFuture<Void> durable = publishAsync(accepted, rejected);
    try {
      durable.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PingsNotDurableException("interrupted while waiting for Kafka", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof PingsNotDurableException notDurable
          ? notDurable
          : new PingsNotDurableException("Kafka did not store the pings", e.getCause());
    }
  }

  /**
   * Sends both lists; the future completes once Kafka has acknowledged every record, or fails with
   * {@link PingsNotDurableException} when Kafka failed or did not answer within the publish
   * timeout. Completion runs on the producer's network thread, so what follows it must be short.
   *
   * @throws PingsNotDurableException when the producer refused the records at once
   */
  public CompletableFuture<Void> publishAsync(
      List<VehiclePing> accepted, List<RejectedPing> rejected) {
    UploadAcks acks = new UploadAcks(accepted.size() + rejected.size(), System.nanoTime());
    try {
      // The producer itself, not KafkaTemplate.send: per record the template adds a future, an
      // observation and trace-log checks, which at 1000 records per upload cost more than the send.
      kafka.execute(
          producer -> {
            UploadHeaders headers = new UploadHeaders();
            PingCodec.Writer payloads = new PingCodec.Writer();
            for (VehiclePing ping : accepted) {
              producer.send(pingRecord(ping, payloads, headers), acks);
            }
            for (RejectedPing ping : rejected) {
              producer.send(rejectedRecord(ping), acks);
            }
            return null;
          });
    } catch (RuntimeException e) {
      throw new PingsNotDurableException("Kafka refused the pings: " + e.getMessage(), e);
    }
    Duration timeout = properties.publishTimeout();
    return acks.durable
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (done, failure) -> {
              if (failure == null) {
                if (sendLatency != null) {
                  sendLatency.record(System.nanoTime() - acks.startedNanos, TimeUnit.NANOSECONDS);
                }
                countOutcomes(accepted, rejected);
                return null;
              }
              throw failure instanceof TimeoutException
                  ? new PingsNotDurableException(
                      "Kafka did not acknowledge within " + timeout, null)
                  : new PingsNotDurableException("Kafka did not store the pings", failure);
            });
  }

  /**
   * Counts Kafka's acknowledgements of one upload's records and completes once all are in, failed
   * with the first failure.
   */
  private static final class UploadAcks implements Callback {

    private final AtomicInteger pending;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final CompletableFuture<Void> durable = new CompletableFuture<>();
    private final long startedNanos;

    UploadAcks(int records, long startedNanos) {
      pending = new AtomicInteger(records);
      this.startedNanos = startedNanos;
      if (records == 0) {
        durable.complete(null);
      }
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception != null) {
        failure.compareAndSet(null, exception);
      }
      if (pending.decrementAndGet() == 0) {
        if (failure.get() == null) {
          durable.complete(null);
        } else {
          durable.completeExceptionally(failure.get());
        }
      }
    }
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

  private ProducerRecord<String, byte[]> pingRecord(
      VehiclePing ping, PingCodec.Writer payloads, UploadHeaders shared) {
    var record =
        new ProducerRecord<>(properties.topics().pings(), shared.key(ping), payloads.write(ping));
    shared.addTo(record.headers(), ping);
    return record;
  }

  /**
   * The header values of an upload's pings are the same for all of them (one device, one receipt
   * time); they are encoded once per upload instead of once per ping. Header arrays are never
   * modified after sending, so records may share them.
   */
  private static final class UploadHeaders {

    private VehiclePing last;
    private UUID keyVehicle;
    private String key;
    private byte[] fleetId;
    private byte[] protocol;
    private byte[] receivedAt;

    /** The record key, the vehicle id: one vehicle per upload, so one string per upload. */
    String key(VehiclePing ping) {
      if (!ping.vehicleId().equals(keyVehicle)) {
        keyVehicle = ping.vehicleId();
        key = keyVehicle.toString();
      }
      return key;
    }

    void addTo(Headers headers, VehiclePing ping) {
      if (last == null || !ping.fleetId().equals(last.fleetId())) {
        fleetId = utf8(ping.fleetId().toString());
      }
      if (last == null || !ping.protocol().equals(last.protocol())) {
        protocol = utf8(ping.protocol());
      }
      if (last == null || !ping.receivedAt().equals(last.receivedAt())) {
        receivedAt = utf8(IsoTime.format(ping.receivedAt()));
      }
      last = ping;
      headers.add(PingHeaders.FLEET_ID, fleetId);
      headers.add(PingHeaders.PROTOCOL, protocol);
      headers.add(PingHeaders.RECEIVED_AT, receivedAt);
    }

    private static byte[] utf8(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }
  }

  private ProducerRecord<String, byte[]> rejectedRecord(RejectedPing ping) {
    var record = new ProducerRecord<>(properties.topics().rejected(), ping.key(), ping.original());
    Headers headers = record.headers();
    header(headers, PingHeaders.REJECT_REASON, ping.rejection().reason());
    header(headers, PingHeaders.REJECT_DETAIL, bounded(ping.rejection().detail()));
    if (ping.truncated()) {
      header(headers, RejectedPing.TRUNCATED_HEADER, Integer.toString(ping.originalLength()));
    }
    header(headers, PingHeaders.PROTOCOL, ping.protocol());
    header(headers, PingHeaders.RECEIVED_AT, ping.receivedAt().toString());
    if (ping.fleetId() != null) {
      header(headers, PingHeaders.FLEET_ID, ping.fleetId().toString());
    }
    return record;
  }

  /** Details are written by ingest and short; this keeps any one of them from growing a record. */
  private static String bounded(String detail) {
    return detail.length() > MAX_DETAIL_CHARS
        ? detail.substring(0, MAX_DETAIL_CHARS) + "…"
        : detail;
  }

  private static void header(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
