package io.fleetline.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.Measurements;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.testing.KafkaBrokerProcess;
import io.fleetline.ingest.validation.Rejection;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Handing pings to Kafka never holds the caller, whatever Kafka does: the calls here run on one
 * thread standing in for a device listener's event loop. {@code max.block.ms} is raised to a minute
 * so that a send which did wait for metadata or buffer room would be plain to see; the design, not
 * that last guard, must keep the caller free.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.osmand.enabled=false",
      "fleetline.ingest.teltonika.enabled=false",
      "fleetline.ingest.publish-timeout=3s",
      "spring.kafka.producer.buffer-memory=1MB",
      "spring.kafka.producer.batch-size=16384",
      "spring.kafka.producer.properties.max.block.ms=60000",
      "spring.kafka.producer.properties.request.timeout.ms=2000",
      "spring.kafka.producer.properties.delivery.timeout.ms=2500"
    })
class PingPublisherIntegrationTest {

  static final KafkaBrokerProcess kafka = KafkaBrokerProcess.start();

  @DynamicPropertySource
  static void broker(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
  }

  @AfterAll
  static void closeBroker() throws Exception {
    kafka.close();
  }

  @Autowired PingPublisher publisher;
  @Autowired IngestProperties ingest;
  @Autowired ProducerFactory<String, byte[]> producers;
  @Autowired MeterRegistry meters;

  /** Stands in for an event loop: one thread, which must never be held by a send. */
  final ExecutorService eventLoop = Executors.newSingleThreadExecutor();

  final Instant base = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
  int sequence;
  boolean brokerStopped;

  @BeforeEach
  void topicsKnown() {
    await("partitions fetched at start-up")
        .atMost(Duration.ofSeconds(30))
        .until(publisher::topicsKnown);
  }

  @AfterEach
  void brokerBack() throws Exception {
    eventLoop.shutdownNow();
    if (brokerStopped) {
      kafka.restart();
      brokerStopped = false;
    }
  }

  @Test
  void aSendWhileKafkaIsDownLeavesTheEventLoopFreeAndIsNotAcknowledged() throws Exception {
    onEventLoop(() -> publisher.publishAsync(List.of(ping(0)), List.of()))
        .get(30, TimeUnit.SECONDS)
        .get(30, TimeUnit.SECONDS);

    stopBroker();
    CompletableFuture<Void> durable =
        onEventLoop(() -> publisher.publishAsync(List.of(ping(0)), List.of()))
            .get(10, TimeUnit.SECONDS);

    await("Kafka's answer").atMost(Duration.ofSeconds(30)).until(durable::isDone);
    assertThatThrownBy(durable::join).hasCauseInstanceOf(PingsNotDurableException.class);
  }

  @Test
  void pastTheByteBudgetUploadsAreRefusedInsteadOfWaitingForProducerMemory() throws Exception {
    assertThat(publisher.maxBytesInFlight())
        .as("held to half of the 1 MB buffer less a batch per partition")
        .isLessThan(512 * 1024);
    stopBroker();

    // About 2 MB in all, twice the producer's buffer.
    List<CompletableFuture<Void>> uploads =
        onEventLoop(
                () -> {
                  List<CompletableFuture<Void>> sent = new ArrayList<>();
                  for (int i = 0; i < 100; i++) {
                    sent.add(publisher.publishAsync(upload(10, 2000), List.of()));
                  }
                  return sent;
                })
            .get(30, TimeUnit.SECONDS);

    await("every upload answered")
        .atMost(Duration.ofSeconds(30))
        .until(() -> uploads.stream().allMatch(CompletableFuture::isDone));
    assertThat(uploads)
        .allSatisfy(
            upload ->
                assertThatThrownBy(upload::join)
                    .hasCauseInstanceOf(PingsNotDurableException.class));
    assertThat(uploads)
        .anySatisfy(
            upload -> assertThatThrownBy(upload::join).cause().hasMessageContaining("at capacity"));

    kafka.restart();
    brokerStopped = false;
    await("the budget is given back once Kafka answered")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(CompletionException.class)
        .until(
            () -> {
              publisher.publishAsync(upload(10, 2000), List.of()).join();
              return true;
            });
    assertThat(meters.get("fleetline.ingest.kafka.in.flight").gauge().value())
        .as("nothing left waiting for Kafka")
        .isZero();
    assertThat(meters.get("fleetline.ingest.kafka.uploads.in.flight").gauge().value())
        .as("no upload left waiting for Kafka")
        .isZero();
  }

  @Test
  void uploadsHeldForPartitionsThatNeverComeFailAsNotDurable() throws Exception {
    Map<String, Object> nowhere = new HashMap<>(producers.getConfigurationProperties());
    nowhere.put("bootstrap.servers", "127.0.0.1:" + freePort());
    DefaultKafkaProducerFactory<String, byte[]> factory =
        new DefaultKafkaProducerFactory<>(nowhere);
    PingPublisher unconnected = new PingPublisher(new KafkaTemplate<>(factory), ingest, null);
    unconnected.start();
    try {
      long sentAt = System.nanoTime();
      CompletableFuture<Void> held =
          onEventLoop(() -> unconnected.publishAsync(List.of(ping(0)), List.of()))
              .get(10, TimeUnit.SECONDS);

      // Held for the publish timeout less the 2.5 s delivery timeout a send would still take, so
      // that a held upload too is answered within the publish timeout.
      Duration hold = ingest.publishTimeout().minusMillis(2500);
      await("the hold ends").atMost(Duration.ofSeconds(60)).until(held::isDone);
      Duration answeredAfter = Duration.ofNanos(System.nanoTime() - sentAt);
      assertThat(answeredAfter)
          .as(
              "held for the whole hold, and not for ever (the bound leaves room for a slow machine)")
          .isGreaterThanOrEqualTo(hold)
          .isLessThan(Duration.ofSeconds(30));
      assertThatThrownBy(held::join)
          .cause()
          .isInstanceOf(PingsNotDurableException.class)
          .hasMessageContaining("not known within " + hold);
      assertThat(unconnected.topicsKnown()).isFalse();
    } finally {
      unconnected.stop();
      factory.destroy();
    }
  }

  @Test
  void aProducerReplacedAfterItFailedIsCreatedOnTheMetadataThreadNotOnTheSendersThread()
      throws Exception {
    DefaultKafkaProducerFactory<String, byte[]> factory =
        new DefaultKafkaProducerFactory<>(producers.getConfigurationProperties());
    PingPublisher fresh = new PingPublisher(new KafkaTemplate<>(factory), ingest, null);
    fresh.start();
    try {
      await("partitions fetched").atMost(Duration.ofSeconds(30)).until(fresh::topicsKnown);
      List<String> createdOn = new CopyOnWriteArrayList<>();
      factory.addListener(
          new ProducerFactory.Listener<>() {
            @Override
            public void producerAdded(String id, Producer<String, byte[]> producer) {
              createdOn.add(Thread.currentThread().getName());
            }
          });

      // What the factory does with a producer that failed (an out-of-order sequence, say): it
      // closes it, tells its listeners, and the next user creates a new one.
      factory.reset();
      factory.getListeners().forEach(listener -> listener.producerRemoved("failed", null));
      CompletableFuture<Void> durable =
          onEventLoop(() -> fresh.publishAsync(List.of(ping(0)), List.of()))
              .get(10, TimeUnit.SECONDS);

      durable.get(30, TimeUnit.SECONDS);
      assertThat(createdOn).containsExactly("kafka-topic-metadata");
    } finally {
      fresh.stop();
      factory.destroy();
    }
  }

  @Test
  void aLoneUploadIsSentAtOnceInsteadOfWaitingForTheProducersLinger() throws Exception {
    Map<String, Object> lingering = new HashMap<>(producers.getConfigurationProperties());
    lingering.put("linger.ms", 20_000);
    lingering.put("delivery.timeout.ms", 25_000);
    IngestProperties patient =
        new IngestProperties(
            ingest.topics(),
            Duration.ofSeconds(30),
            ingest.retryAfter(),
            ingest.maxBatchSize(),
            ingest.maxBodyBytes(),
            ingest.maxPingsInFlight(),
            ingest.capacityWait());
    DefaultKafkaProducerFactory<String, byte[]> factory =
        new DefaultKafkaProducerFactory<>(lingering);
    PingPublisher lingeringPublisher =
        new PingPublisher(
            new KafkaTemplate<>(factory), patient, PublishProperties.defaults(), null);
    lingeringPublisher.start();
    try {
      await("partitions fetched")
          .atMost(Duration.ofSeconds(30))
          .until(lingeringPublisher::topicsKnown);
      VehiclePing lone = ping(0);

      CompletableFuture<Void> durable =
          onEventLoop(() -> lingeringPublisher.publishAsync(List.of(lone), List.of()))
              .get(10, TimeUnit.SECONDS);

      // The producer alone would hold it for its 20 s linger, waiting for others to join it.
      durable.get(10, TimeUnit.SECONDS);
      assertThat(new KafkaTopics(kafka.bootstrapServers()).awaitPing(lone.recordedAt()).vehicleId())
          .isEqualTo(lone.vehicleId());
    } finally {
      lingeringPublisher.stop();
      factory.destroy();
    }
  }

  @Test
  void aPromptSendStoppedAndStartedAgainStillSendsAtOnceAndLeavesNoFlusherBehind()
      throws Exception {
    Map<String, Object> lingering = new HashMap<>(producers.getConfigurationProperties());
    lingering.put("linger.ms", 20_000);
    lingering.put("delivery.timeout.ms", 25_000);
    DefaultKafkaProducerFactory<String, byte[]> factory =
        new DefaultKafkaProducerFactory<>(lingering);
    KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(factory);
    PromptSend promptSend = new PromptSend(template);
    Set<Thread> before = flushers();
    try {
      promptSend.start();
      promptSend.stop();
      Set<Thread> stopped = flushers();
      stopped.removeAll(before);
      assertThat(stopped).as("the first flusher, once stopped").isEmpty();
      promptSend.start();

      CompletableFuture<?> sent =
          template.send(ingest.topics().rejected(), "restart", new byte[] {1});
      promptSend.request();

      // The producer alone would hold it for its 20 s linger, waiting for others to join it.
      sent.get(10, TimeUnit.SECONDS);
    } finally {
      promptSend.stop();
      factory.destroy();
    }
  }

  private static Set<Thread> flushers() {
    Set<Thread> flushers = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("kafka-prompt-send") && thread.isAlive()) {
        flushers.add(thread);
      }
    }
    return flushers;
  }

  @Test
  void uploadsPublishedBeforeThePartitionsAreKnownAreSentOnceTheyAre() throws Exception {
    stopBroker();
    IngestProperties patient =
        new IngestProperties(
            ingest.topics(),
            Duration.ofMinutes(2),
            ingest.retryAfter(),
            ingest.maxBatchSize(),
            ingest.maxBodyBytes(),
            ingest.maxPingsInFlight(),
            ingest.capacityWait());
    DefaultKafkaProducerFactory<String, byte[]> factory =
        new DefaultKafkaProducerFactory<>(producers.getConfigurationProperties());
    PingPublisher fresh = new PingPublisher(new KafkaTemplate<>(factory), patient, null);
    fresh.start();
    try {
      VehiclePing early = ping(0);
      CompletableFuture<Void> held =
          onEventLoop(() -> fresh.publishAsync(List.of(early), List.of()))
              .get(10, TimeUnit.SECONDS);
      assertThat(held).as("held while Kafka is away").isNotDone();

      kafka.restart();
      brokerStopped = false;

      await("sent once the partitions are known")
          .atMost(Duration.ofSeconds(60))
          .until(held::isDone);
      assertThat(held).isCompleted();
      assertThat(
              new KafkaTopics(kafka.bootstrapServers()).awaitPing(early.recordedAt()).vehicleId())
          .isEqualTo(early.vehicleId());
    } finally {
      fresh.stop();
      factory.destroy();
    }
  }

  @Test
  void acknowledgedPingsAreCountedByProtocolAndRejectedOnesByProtocolAndReason() throws Exception {
    double httpBefore = accepted("http");
    double osmandBefore = accepted("osmand");
    double rejectedBefore = rejected("osmand", Rejection.MALFORMED);
    List<VehiclePing> mixed = new ArrayList<>(upload(3, 0));
    mixed.add(withProtocol(ping(0), "osmand"));
    mixed.addAll(upload(2, 0));
    RejectedPing bad =
        RejectedPing.of(
            "device",
            "{}".getBytes(StandardCharsets.UTF_8),
            new Rejection(Rejection.MALFORMED, "not a ping"),
            "osmand",
            Instant.now(),
            null,
            64);

    publisher.publishAsync(mixed, List.of(bad)).get(30, TimeUnit.SECONDS);

    assertThat(accepted("http") - httpBefore).isEqualTo(5);
    assertThat(accepted("osmand") - osmandBefore).isEqualTo(1);
    assertThat(rejected("osmand", Rejection.MALFORMED) - rejectedBefore).isEqualTo(1);
  }

  private double accepted(String protocol) {
    var counter =
        meters.find("fleetline.ingest.pings.accepted").tag("protocol", protocol).counter();
    return counter == null ? 0 : counter.count();
  }

  private double rejected(String protocol, String reason) {
    var counter =
        meters
            .find("fleetline.ingest.pings.rejected")
            .tag("protocol", protocol)
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static VehiclePing withProtocol(VehiclePing p, String protocol) {
    return new VehiclePing(
        p.v(),
        p.vehicleId(),
        p.fleetId(),
        p.deviceId(),
        protocol,
        p.recordedAt(),
        p.receivedAt(),
        p.measurements(),
        p.attributes());
  }

  private <T> Future<T> onEventLoop(Callable<T> call) {
    return eventLoop.submit(call);
  }

  private void stopBroker() throws InterruptedException {
    brokerStopped = true;
    kafka.stop();
  }

  private List<VehiclePing> upload(int pings, int attributeChars) {
    List<VehiclePing> upload = new ArrayList<>();
    for (int i = 0; i < pings; i++) {
      upload.add(ping(attributeChars));
    }
    return upload;
  }

  private synchronized VehiclePing ping(int attributeChars) {
    return new VehiclePing(
        VehiclePing.CURRENT_VERSION,
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        "http",
        base.plusSeconds(sequence++),
        Instant.now().truncatedTo(ChronoUnit.MILLIS),
        new Measurements(52.52, 13.405, 42.0, 90.0, null, 5.0, null, true),
        attributeChars == 0 ? Map.of() : Map.of("note", "x".repeat(attributeChars)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
