package io.fleetline.ingest.publish;

import io.fleetline.common.IsoTime;
import io.fleetline.common.PingCodec;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.IngestProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes validated pings (key = vehicle id, so a vehicle's pings stay ordered in one partition)
 * and rejected originals, and reports them done only once Kafka has acknowledged every one of them.
 * That wait is what lets a protocol adapter acknowledge a device: nothing acknowledged is ever
 * lost.
 *
 * <p>Handing an upload over never blocks the caller, which may be an event loop serving thousands
 * of devices. {@code KafkaProducer.send} blocks in two places, and neither is reached: waiting for
 * a topic's partitions ({@link TopicMetadata} keeps them known, and holds uploads while they are
 * not) and waiting for room in {@code buffer.memory} (the bytes handed over and not yet
 * acknowledged are bounded well below it). A small {@code max.block.ms} is the last guard: a block
 * nobody foresaw is short and ends as {@link PingsNotDurableException}. Every upload's answer is
 * bounded by the producer's {@code delivery.timeout.ms}, which start-up holds to the publish
 * timeout, so no timer is set per upload; an upload held for the partitions waits at most the
 * publish timeout less the delivery timeout, so that it too is answered within the publish timeout.
 *
 * <p>Batching follows the load. The producer holds records for {@code linger.ms} so that pings
 * arriving together share a batch, which costs the producer and the broker far less per ping than a
 * batch each; but while few uploads wait for Kafka ({@code fleetline.ingest.publish.prompt-below}),
 * an upload asks for what is held to be sent at once ({@link PromptSend}), so a lone device never
 * waits for the linger. One producer carries every ping, so a vehicle's pings keep their order.
 */
@Component
public class PingPublisher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PingPublisher.class);
  private static final int MAX_DETAIL_CHARS = 1024;

  /** A record's framing in a batch beyond its key, value and headers (varints, attributes). */
  static final int RECORD_OVERHEAD_BYTES = 64;

  private final KafkaTemplate<String, byte[]> kafka;
  private final IngestProperties properties;
  private final MeterRegistry meters;
  private final Timer sendLatency;
  private final int maxBytesInFlight;
  private final Semaphore bytesInFlight;
  private final TopicMetadata metadata;
  private final AtomicInteger uploadsInFlight = new AtomicInteger();
  private final int promptBelow;
  private final PromptSend promptSend;
  private final Map<String, Counter> acceptedCounters = new ConcurrentHashMap<>();
  private final Map<RejectedOutcome, Counter> rejectedCounters = new ConcurrentHashMap<>();
  private volatile boolean running;

  /** A publisher with the default byte budget; without a template only to stand in for Kafka. */
  public PingPublisher(
      KafkaTemplate<String, byte[]> kafka, IngestProperties properties, MeterRegistry meters) {
    this(kafka, properties, PublishProperties.defaults(), meters);
  }

  @Autowired
  PingPublisher(
      KafkaTemplate<String, byte[]> kafka,
      IngestProperties properties,
      PublishProperties publishing,
      MeterRegistry meters) {
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
    long budget = publishing.maxBytesInFlight().toBytes();
    Duration holdForPartitions = Duration.ZERO;
    boolean lingers = false;
    if (kafka != null) {
      ProducerLimits producer =
          ProducerLimits.of(kafka.getProducerFactory().getConfigurationProperties());
      producer.requireAnswerWithin(properties.publishTimeout());
      budget = producer.bytesInFlightWithin(budget, 2 * properties.topics().pingPartitions());
      // An upload held for the partitions still has the delivery timeout ahead of it once sent.
      holdForPartitions = properties.publishTimeout().minusMillis(producer.deliveryTimeoutMs());
      lingers = producer.lingerMs() > 0;
    }
    this.promptBelow = publishing.promptBelow();
    this.promptSend = lingers && promptBelow > 0 ? new PromptSend(kafka) : null;
    this.maxBytesInFlight = (int) Math.min(budget, Integer.MAX_VALUE);
    this.bytesInFlight = new Semaphore(maxBytesInFlight);
    if (meters != null) {
      Gauge.builder(
              "fleetline.ingest.kafka.in.flight",
              bytesInFlight,
              free -> maxBytesInFlight - free.availablePermits())
          .description("Bytes of records handed to Kafka and not yet acknowledged")
          .baseUnit("bytes")
          .register(meters);
      Gauge.builder("fleetline.ingest.kafka.uploads.in.flight", uploadsInFlight, AtomicInteger::get)
          .description("Uploads handed to Kafka and not yet acknowledged")
          .register(meters);
    }
    this.metadata =
        new TopicMetadata(
            kafka,
            properties == null
                ? List.of()
                : List.of(properties.topics().pings(), properties.topics().rejected()),
            holdForPartitions);
  }

  /**
   * Sends both lists and blocks until all are durable.
   *
   * @throws PingsNotDurableException when Kafka failed or did not answer within the publish timeout
   */
  public void publish(List<VehiclePing> accepted, List<RejectedPing> rejected) {
    CompletableFuture<Void> durable = publishAsync(accepted, rejected);
    Duration timeout = properties.publishTimeout();
    try {
      durable.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PingsNotDurableException("interrupted while waiting for Kafka", e);
    } catch (TimeoutException e) {
      throw new PingsNotDurableException("Kafka did not acknowledge within " + timeout, null);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof PingsNotDurableException notDurable
          ? notDurable
          : new PingsNotDurableException("Kafka did not store the pings", e.getCause());
    }
  }

  /**
   * Sends both lists without blocking the caller; the future completes once Kafka has acknowledged
   * every record, or fails with {@link PingsNotDurableException} when Kafka failed or did not
   * answer within the publish timeout, or ingest already holds as many bytes for Kafka as it may.
   * Completion runs on the producer's network thread, so what follows it must be short.
   */
  public CompletableFuture<Void> publishAsync(
      List<VehiclePing> accepted, List<RejectedPing> rejected) {
    return metadata.known()
        ? send(accepted, rejected)
        : metadata.whenKnown(() -> send(accepted, rejected));
  }

  private CompletableFuture<Void> send(List<VehiclePing> accepted, List<RejectedPing> rejected) {
    List<ProducerRecord<String, byte[]>> records =
        new ArrayList<>(accepted.size() + rejected.size());
    long bytes = 0;
    UploadHeaders headers = new UploadHeaders();
    PingCodec.Writer payloads = new PingCodec.Writer();
    for (VehiclePing ping : accepted) {
      var record = pingRecord(ping, payloads, headers);
      // The key is a vehicle id: ASCII, a byte per character.
      bytes += add(records, record, record.key().length());
    }
    for (RejectedPing ping : rejected) {
      bytes +=
          add(records, rejectedRecord(ping), ping.key().getBytes(StandardCharsets.UTF_8).length);
    }
    // An upload larger than the whole budget may still go alone.
    int permits = (int) Math.min(bytes, maxBytesInFlight);
    if (!bytesInFlight.tryAcquire(permits)) {
      return CompletableFuture.failedFuture(
          new IngestAtCapacityException(
              "ingest is at capacity (" + maxBytesInFlight + " bytes waiting for Kafka)"));
    }
    // Counted before the upload is handed over: it is not alone if others are still waiting.
    boolean prompt = uploadsInFlight.getAndIncrement() < promptBelow;
    UploadAcks acks = new UploadAcks(records.size(), permits);
    int[] handedOver = {0};
    RuntimeException refused = null;
    try {
      // The producer itself, not KafkaTemplate.send: per record the template adds a future, an
      // observation and trace-log checks, which at 1000 records per upload cost more than the send.
      kafka.execute(
          producer -> {
            for (ProducerRecord<String, byte[]> record : records) {
              if (acks.failed()) {
                // A record was refused at once (a guard tripped): the rest would be in turn.
                break;
              }
              producer.send(record, acks);
              handedOver[0]++;
            }
            return null;
          });
    } catch (RuntimeException e) {
      refused = e;
    }
    if (handedOver[0] < records.size()) {
      acks.notSent(records.size() - handedOver[0], refused);
    }
    if (prompt && promptSend != null && handedOver[0] > 0) {
      promptSend.request();
    }
    return acks.durable.handle(
        (done, failure) -> {
          if (failure == null) {
            if (sendLatency != null) {
              sendLatency.record(System.nanoTime() - acks.startedNanos, TimeUnit.NANOSECONDS);
            }
            countOutcomes(accepted, rejected);
            return null;
          }
          throw failure instanceof PingsNotDurableException notDurable
              ? notDurable
              : new PingsNotDurableException("Kafka did not store the pings", failure);
        });
  }

  /** Adds the record to the upload's and tells the bytes it takes in the producer's buffer. */
  private static long add(
      List<ProducerRecord<String, byte[]>> records,
      ProducerRecord<String, byte[]> record,
      int keyBytes) {
    records.add(record);
    long bytes = RECORD_OVERHEAD_BYTES + keyBytes + record.value().length;
    for (Header header : record.headers()) {
      bytes += header.key().length() + header.value().length;
    }
    return bytes;
  }

  /**
   * Counts Kafka's acknowledgements of one upload's records and completes once all are in, failed
   * with the first failure; gives the upload's bytes back once the producer is done with all.
   */
  private final class UploadAcks implements Callback {

    private final AtomicInteger pending;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final CompletableFuture<Void> durable = new CompletableFuture<>();
    private final int permits;
    private final long startedNanos = System.nanoTime();

    UploadAcks(int records, int permits) {
      this.pending = new AtomicInteger(records);
      this.permits = permits;
      if (records == 0) {
        finish();
      }
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception != null) {
        failure.compareAndSet(null, exception);
      }
      if (pending.decrementAndGet() == 0) {
        finish();
      }
    }

    boolean failed() {
      return failure.get() != null;
    }

    /**
     * The last {@code records} were never handed over: the upload fails at once, and its bytes come
     * back once the records that were handed over are done.
     */
    void notSent(int records, Exception cause) {
      if (cause != null) {
        failure.compareAndSet(null, cause);
      }
      durable.completeExceptionally(failure.get());
      if (records > 0 && pending.addAndGet(-records) == 0) {
        finish();
      }
    }

    private void finish() {
      bytesInFlight.release(permits);
      uploadsInFlight.decrementAndGet();
      Exception first = failure.get();
      if (first == null) {
        durable.complete(null);
      } else {
        durable.completeExceptionally(first);
      }
    }
  }

  /** Whether the partitions of the topics ingest writes have been fetched since start-up. */
  boolean topicsKnown() {
    return metadata.fetchedOnce();
  }

  /** The byte budget in force, after holding it within the producer's buffer. */
  int maxBytesInFlight() {
    return maxBytesInFlight;
  }

  /** Fetches the topics' partitions before the device listeners start taking pings in. */
  @Override
  public void start() {
    metadata.start();
    if (promptSend != null) {
      promptSend.start();
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (promptSend != null) {
      promptSend.stop();
    }
    metadata.stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Starts before the device listeners and stops after them and the web server, which drain. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 4096;
  }

  /**
   * The producer settings that decide whether a send can block or an answer be late, as configured
   * or else Kafka's defaults.
   */
  private record ProducerLimits(
      long bufferMemory, long batchSize, long deliveryTimeoutMs, long lingerMs) {

    static ProducerLimits of(Map<String, Object> config) {
      return new ProducerLimits(
          setting(config, ProducerConfig.BUFFER_MEMORY_CONFIG),
          setting(config, ProducerConfig.BATCH_SIZE_CONFIG),
          setting(config, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG),
          setting(config, ProducerConfig.LINGER_MS_CONFIG));
    }

    /** Every upload is answered within the delivery timeout, so it must fit the publish timeout. */
    void requireAnswerWithin(Duration publishTimeout) {
      if (deliveryTimeoutMs > publishTimeout.toMillis()) {
        throw new IllegalStateException(
            "The Kafka producer's delivery.timeout.ms ("
                + deliveryTimeoutMs
                + " ms) must not exceed fleetline.ingest.publish-timeout ("
                + publishTimeout
                + "): it bounds how long a device waits for its answer");
      }
    }

    /**
     * The byte budget held within the buffer: batches are at least half full (a record that does
     * not fit starts a new batch), so records of B bytes take at most 2B of the buffer, plus one
     * partly filled batch per partition.
     */
    long bytesInFlightWithin(long configured, int partitions) {
      long room = (bufferMemory - partitions * batchSize) / 2;
      if (room <= 0) {
        throw new IllegalStateException(
            "The Kafka producer's buffer.memory ("
                + bufferMemory
                + " bytes) leaves no room for pings beside a batch.size ("
                + batchSize
                + " bytes) batch for each of "
                + partitions
                + " partitions");
      }
      if (configured > room) {
        log.warn(
            "fleetline.ingest.publish.max-bytes-in-flight ({} bytes) lowered to {} bytes to stay"
                + " within the producer's buffer.memory",
            configured,
            room);
        return room;
      }
      return configured;
    }

    private static long setting(Map<String, Object> config, String name) {
      Object value = config.get(name);
      if (value == null) {
        value = ProducerConfig.configDef().defaultValues().get(name);
      }
      return value instanceof Number number
          ? number.longValue()
          : Long.parseLong(value.toString().trim());
    }
  }

  /** One counter update per protocol and reason, not per ping: this runs for every upload. */
  private void countOutcomes(List<VehiclePing> accepted, List<RejectedPing> rejected) {
    if (meters == null) {
      return;
    }
    // Runs on the producer's network thread for every upload: counters are looked up once per
    // protocol, and an upload (one device, one protocol) is counted in runs, not per ping.
    for (int start = 0; start < accepted.size(); ) {
      String protocol = accepted.get(start).protocol();
      int end = start + 1;
      while (end < accepted.size() && accepted.get(end).protocol().equals(protocol)) {
        end++;
      }
      acceptedCounters
          .computeIfAbsent(
              protocol, p -> meters.counter("fleetline.ingest.pings.accepted", "protocol", p))
          .increment(end - start);
      start = end;
    }
    for (RejectedPing ping : rejected) {
      rejectedCounters
          .computeIfAbsent(
              new RejectedOutcome(ping.protocol(), ping.rejection().reason()),
              outcome ->
                  meters.counter(
                      "fleetline.ingest.pings.rejected",
                      "protocol",
                      outcome.protocol(),
                      "reason",
                      outcome.reason()))
          .increment();
    }
  }

  /** The labels of one rejected-pings counter; reasons are a small fixed set. */
  private record RejectedOutcome(String protocol, String reason) {}

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
