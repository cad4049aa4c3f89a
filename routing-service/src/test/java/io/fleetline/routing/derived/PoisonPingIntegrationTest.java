package io.fleetline.routing.derived;

import static io.fleetline.routing.derived.RoutingFaultsIntegrationTest.EVENTS;
import static io.fleetline.routing.derived.RoutingFaultsIntegrationTest.STOPS;
import static io.fleetline.routing.derived.RoutingFaultsIntegrationTest.TRIPS;
import static io.fleetline.routing.derived.RoutingFaultsIntegrationTest.quoted;
import static io.fleetline.routing.derived.RoutingFaultsIntegrationTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.PingCodec;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.position.BatchFault;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Pings that decode fine but that PostgreSQL refuses for their content, sent straight to the pings
 * topic of the real broker among valid ones: each is isolated to the dead-letter topic with why and
 * where from, everything else is stored exactly once with the history, latest positions, trips,
 * stops and events an undisturbed run without it stores, and readiness never leaves UP.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(
    partitions = 3,
    topics = {Topics.PINGS, Topics.EVENTS})
class PoisonPingIntegrationTest {

  static final TestDatabase database = TestPostgis.newDatabase();

  /** The ping whose first commit dies, while armed. */
  static volatile VehiclePing crashAt;

  static final AtomicInteger crashesLeft = new AtomicInteger();

  @TestConfiguration
  static class Faults {
    @Bean
    BatchFault crashCommittingOnePing() {
      return pings -> {
        VehiclePing target = crashAt;
        if (target != null
            && pings.stream()
                .anyMatch(
                    p ->
                        p.vehicleId().equals(target.vehicleId())
                            && p.recordedAt().equals(target.recordedAt()))
            && crashesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new IllegalStateException("injected crash before commit");
        }
      };
    }
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    database.registerIn(registry);
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @LocalServerPort int port;

  @Autowired MeterRegistry meters;

  final HttpClient http = HttpClient.newHttpClient();

  final DerivedTables tables = new DerivedTables(database, BatchFault.NONE);

  @Test
  void nulInAnAttributeAmongTenThousandValidPingsIsDeadLetteredAndTheRestStoredOnce()
      throws Exception {
    List<VehiclePing> valid = validPings(10_000);
    VehiclePing model = valid.get(5_000);
    VehiclePing poison = withAttribute(model, "note", "before\u0000after");
    List<Sent> poisonSent = new ArrayList<>(1);
    double storedBefore = counter("fleetline.routing.pings.stored");
    double refusedBefore = refusedCount();

    List<Integer> readiness =
        whileWatchingReadiness(
            () -> {
              send(valid.subList(0, 5_000));
              poisonSent.add(sendPoison(poison));
              send(valid.subList(5_000, valid.size()));
              awaitStored(valid);
              await()
                  .atMost(Duration.ofSeconds(30))
                  .untilAsserted(() -> assertThat(refusedCount() - refusedBefore).isEqualTo(1));
            });

    assertThat(readiness).isNotEmpty().containsOnly(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(counter("fleetline.routing.pings.stored") - storedBefore)
                    .isEqualTo(10_000));
    List<ConsumerRecord<String, byte[]>> dead = deadLetters(vehicles(valid));
    assertThat(dead).hasSize(1);
    assertDeadLettered(dead.get(0), poisonSent.get(0), "22P05");
    assertSameAsUndisturbed(valid);
    assertEveryStoredEventPublishedOnce(valid);
  }

  @Test
  void aLoneSurrogateAndNulInTheProtocolAreIsolatedEachOnItsOwnAndAFarFutureTimeIsUndecodable()
      throws Exception {
    List<VehiclePing> valid = validPings(1_000);
    VehiclePing surrogate = withAttribute(valid.get(300), "note", "half \ud800 a pair");
    VehiclePing protocol = withProtocol(valid.get(700), "ht\u0000tp");
    // Would make a partition never dropped and pin the vehicle's latest position for good.
    VehiclePing farFuture =
        withRecordedAt(valid.get(800), Instant.parse("+200000-01-01T00:00:00Z"));
    double refusedBefore = refusedCount();
    double undecodableBefore = deadLetteredCount("undecodable");

    send(valid.subList(0, 300));
    Sent surrogateSent = sendPoison(surrogate);
    send(valid.subList(300, 700));
    Sent protocolSent = sendPoison(protocol);
    send(valid.subList(700, 800));
    Sent farFutureSent = sendPoison(farFuture);
    send(valid.subList(800, valid.size()));
    awaitStored(valid);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(refusedCount() - refusedBefore).isEqualTo(2);
              assertThat(deadLetteredCount("undecodable") - undecodableBefore).isEqualTo(1);
            });

    List<ConsumerRecord<String, byte[]>> dead = deadLetters(vehicles(valid));
    assertThat(dead).hasSize(3);
    Map<String, ConsumerRecord<String, byte[]>> byValue = new HashMap<>();
    dead.forEach(r -> byValue.put(new String(r.value(), StandardCharsets.UTF_8), r));
    assertDeadLettered(byValue.get(surrogateSent.text()), surrogateSent, "22");
    assertDeadLettered(byValue.get(protocolSent.text()), protocolSent, "22021");
    ConsumerRecord<String, byte[]> farFutureDead = byValue.get(farFutureSent.text());
    assertThat(farFutureDead).isNotNull();
    assertThat(header(farFutureDead, "fleetline-dlt-reason")).isEqualTo("undecodable");
    assertThat(header(farFutureDead, "fleetline-dlt-error"))
        .isEqualTo("recordedAt is too far in the future");
    assertThat(header(farFutureDead, "fleetline-dlt-partition"))
        .isEqualTo(Integer.toString(farFutureSent.partition()));
    assertThat(header(farFutureDead, "fleetline-dlt-offset"))
        .isEqualTo(Long.toString(farFutureSent.offset()));
    assertThat(tables.rows("SELECT count(*) FROM pg_class WHERE relname = 'positions_2000000101'"))
        .containsExactly("0|");
    assertThat(readinessStatus()).isEqualTo(200);
    assertSameAsUndisturbed(valid);
  }

  @Test
  void aPartitionDroppedBehindTheConsumersBackIsMadeAgainAndItsPingsStored() throws Exception {
    Instant day = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.DAYS);
    String partition =
        "positions_" + DateTimeFormatter.ofPattern("yyyyMMdd").format(day.atZone(ZoneOffset.UTC));
    List<VehiclePing> before =
        Scenario.pings(UUID.randomUUID(), List.of(UUID.randomUUID()), day.plusSeconds(3_600));
    send(before);
    awaitStored(before);
    // Another instance's maintenance, or an operator, takes the day away: this one still
    // remembers it as made.
    tables.execute("ALTER TABLE positions DETACH PARTITION " + partition);
    tables.execute("DROP TABLE " + partition);
    List<VehiclePing> after =
        Scenario.pings(
            UUID.randomUUID(),
            List.of(UUID.randomUUID(), UUID.randomUUID()),
            day.plusSeconds(7_200));
    double deadBefore = refusedCount() + deadLetteredCount("undecodable");

    List<Integer> readiness = whileWatchingReadiness(() -> awaitSentAndStored(after));

    assertThat(readiness).isNotEmpty().containsOnly(200);
    assertThat(refusedCount() + deadLetteredCount("undecodable")).isEqualTo(deadBefore);
    assertThat(deadLetters(vehicles(after))).isEmpty();
    assertThat(tables.rows("SELECT count(*) FROM " + partition))
        .containsExactly(after.size() + "|");
    assertSameAsUndisturbed(after);
  }

  private void awaitSentAndStored(List<VehiclePing> pings) throws Exception {
    send(pings);
    awaitStored(pings);
  }

  @Test
  void aCrashWhileIsolatingIsRepairedByRedeliveryWithEveryValidPingStoredOnce() throws Exception {
    List<VehiclePing> valid = validPings(2_000);
    VehiclePing model = valid.get(1_000);
    VehiclePing poison = withAttribute(model, "note", "\u0000");
    // The poisoned vehicle's next ping: in the poison's partition, committed after it is isolated
    // when both came in one batch.
    crashAt =
        valid.stream()
            .filter(p -> p.vehicleId().equals(model.vehicleId()))
            .filter(p -> p.recordedAt().isAfter(poison.recordedAt()))
            .findFirst()
            .orElseThrow();
    crashesLeft.set(1);
    double storedBefore = counter("fleetline.routing.pings.stored");

    send(valid.subList(0, 1_000));
    Sent poisonSent = sendPoison(poison);
    send(valid.subList(1_000, valid.size()));
    awaitStored(valid);

    assertThat(crashesLeft.get()).isZero();
    // Counted just after the commit the table count above saw.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(counter("fleetline.routing.pings.stored") - storedBefore)
                    .isEqualTo(valid.size()));
    List<ConsumerRecord<String, byte[]>> dead = deadLetters(vehicles(valid));
    // At least once: a redelivered batch isolates its poison again.
    assertThat(dead).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    dead.forEach(d -> assertDeadLettered(d, poisonSent, "22P05"));
    assertSameAsUndisturbed(valid);
    assertEveryStoredEventPublishedOnce(valid);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(readinessStatus()).isEqualTo(200));
  }

  @Test
  void pingsWithoutVehicleOrTimeOrOffTheGlobeAreDeadLetteredAsUndecodable() throws Exception {
    List<VehiclePing> valid = validPings(500);
    VehiclePing model = valid.get(200);
    String json =
        new String(PingCodec.write(withAttribute(model, "n", "1")), StandardCharsets.UTF_8);
    String key = model.vehicleId().toString();
    double undecodableBefore = deadLetteredCount("undecodable");

    send(valid.subList(0, 200));
    Sent noVehicle = sendRaw(key, json.replaceFirst("\"vehicleId\":\"[^\"]+\",", ""));
    Sent noTime = sendRaw(key, json.replaceFirst("\"recordedAt\":\"[^\"]+\",", ""));
    Sent offTheGlobe =
        sendRaw(key, json.replaceFirst("\"latitude\":[^,]+,", "\"latitude\":1e400,"));
    send(valid.subList(200, valid.size()));
    awaitStored(valid);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(deadLetteredCount("undecodable") - undecodableBefore).isEqualTo(3));

    List<ConsumerRecord<String, byte[]>> dead = deadLetters(vehicles(valid));
    assertThat(dead)
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder(noVehicle.value(), noTime.value(), offTheGlobe.value());
    assertThat(dead)
        .allSatisfy(d -> assertThat(header(d, "fleetline-dlt-reason")).isEqualTo("undecodable"));
    assertThat(dead)
        .extracting(d -> header(d, "fleetline-dlt-error"))
        .containsExactlyInAnyOrder(
            "vehicleId is missing", "recordedAt is missing", "latitude is not within ±90°");
    assertThat(readinessStatus()).isEqualTo(200);
    assertSameAsUndisturbed(valid);
  }

  /** A record as produced: where it went, its key and its value. */
  private record Sent(int partition, long offset, String key, byte[] value) {
    String text() {
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  /** Scenario days of enough vehicles, all in time order, the first {@code count}. */
  private static List<VehiclePing> validPings(int count) {
    UUID fleet = UUID.randomUUID();
    List<UUID> vehicles =
        IntStream.range(0, count / 200 + 1).mapToObj(i -> UUID.randomUUID()).toList();
    return Scenario.pings(fleet, vehicles, Instant.now().minus(Duration.ofHours(5))).stream()
        .sorted(Comparator.comparing(VehiclePing::recordedAt))
        .limit(count)
        .toList();
  }

  /** The ping a millisecond later, carrying the attribute: a new key, a value Java can encode. */
  private static VehiclePing withAttribute(VehiclePing p, String name, String value) {
    return copy(p, p.protocol(), p.recordedAt().plusMillis(1), Map.of(name, value));
  }

  private static VehiclePing withRecordedAt(VehiclePing p, Instant recordedAt) {
    return copy(p, p.protocol(), recordedAt, p.attributes());
  }

  private static VehiclePing withProtocol(VehiclePing p, String protocol) {
    return copy(p, protocol, p.recordedAt().plusMillis(1), p.attributes());
  }

  /** {@code p} with another protocol, event time and attributes; everything else as it was. */
  private static VehiclePing copy(
      VehiclePing p, String protocol, Instant recordedAt, Map<String, Object> attributes) {
    return new VehiclePing(
        p.v(),
        p.vehicleId(),
        p.fleetId(),
        p.deviceId(),
        protocol,
        recordedAt,
        p.receivedAt(),
        p.measurements(),
        attributes);
  }

  private static void assertDeadLettered(
      ConsumerRecord<String, byte[]> dead, Sent original, String sqlStatePrefix) {
    assertThat(dead).as("dead letter of %s", original.text()).isNotNull();
    assertThat(dead.key()).isEqualTo(original.key());
    assertThat(dead.value()).isEqualTo(original.value());
    assertThat(PingCodec.read(dead.value())).isNotNull();
    assertThat(header(dead, PingHeaders.PROTOCOL)).isEqualTo("poison");
    assertThat(header(dead, "fleetline-dlt-reason")).isEqualTo("refused");
    assertThat(header(dead, "fleetline-dlt-sqlstate")).startsWith(sqlStatePrefix).hasSize(5);
    assertThat(header(dead, "fleetline-dlt-error")).isNotBlank().hasSizeLessThanOrEqualTo(200);
    assertThat(header(dead, "fleetline-dlt-topic")).isEqualTo(Topics.PINGS);
    assertThat(header(dead, "fleetline-dlt-partition"))
        .isEqualTo(Integer.toString(original.partition()));
    assertThat(header(dead, "fleetline-dlt-offset")).isEqualTo(Long.toString(original.offset()));
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private void assertSameAsUndisturbed(List<VehiclePing> valid) {
    DerivedTables undisturbed = new DerivedTables(TestPostgis.newDatabase(), BatchFault.NONE);
    Map<UUID, List<VehiclePing>> byVehicle =
        valid.stream().collect(Collectors.groupingBy(VehiclePing::vehicleId));
    for (List<VehiclePing> own : byVehicle.values()) {
      for (int i = 0; i < own.size(); i += 100) {
        undisturbed.write(own.subList(i, Math.min(own.size(), i + 100)));
      }
    }
    String only = " WHERE vehicle_id IN (" + quoted(List.copyOf(byVehicle.keySet())) + ")";
    for (String table : List.of("positions", "latest_positions")) {
      assertThat(tables.rows(snapshot(table, only)))
          .as(table)
          .containsExactlyElementsOf(undisturbed.rows(snapshot(table, "")));
    }
    assertThat(tables.rows(TRIPS + only + " ORDER BY vehicle_id, started_at"))
        .containsExactlyElementsOf(undisturbed.rows(TRIPS + " ORDER BY vehicle_id, started_at"))
        .isNotEmpty();
    assertThat(tables.rows(STOPS + only + " ORDER BY vehicle_id, started_at"))
        .containsExactlyElementsOf(undisturbed.rows(STOPS + " ORDER BY vehicle_id, started_at"))
        .isNotEmpty();
    assertThat(tables.rows(EVENTS + only + " ORDER BY event_key"))
        .containsExactlyElementsOf(undisturbed.rows(EVENTS + " ORDER BY event_key"))
        .isNotEmpty();
  }

  private void assertEveryStoredEventPublishedOnce(List<VehiclePing> valid) {
    List<UUID> vehicles = valid.stream().map(VehiclePing::vehicleId).distinct().toList();
    List<String> storedIds =
        tables.rows(
            "SELECT id FROM vehicle_events WHERE vehicle_id IN ("
                + quoted(vehicles)
                + ") ORDER BY id");
    assertThat(storedIds).isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(RoutingFaultsIntegrationTest.publishedEventIds(brokers, vehicles))
                    .containsExactlyElementsOf(storedIds));
  }

  private static Set<String> vehicles(List<VehiclePing> pings) {
    return pings.stream().map(p -> p.vehicleId().toString()).collect(Collectors.toSet());
  }

  private void send(List<VehiclePing> pings) throws Exception {
    try (var producer = producer()) {
      for (VehiclePing p : pings) {
        var record =
            new ProducerRecord<>(Topics.PINGS, p.vehicleId().toString(), PingCodec.write(p));
        record.headers().add(PingHeaders.PROTOCOL, "http".getBytes(StandardCharsets.UTF_8));
        producer.send(record);
      }
      producer.flush();
    }
  }

  /**
   * Sends the ping with a header marking it, so its dead letter shows the original headers kept;
   * returns where it went.
   */
  private Sent sendPoison(VehiclePing poison) throws Exception {
    try (var producer = producer()) {
      var record =
          new ProducerRecord<>(
              Topics.PINGS, poison.vehicleId().toString(), PingCodec.write(poison));
      record.headers().add(PingHeaders.PROTOCOL, "poison".getBytes(StandardCharsets.UTF_8));
      var ack = producer.send(record).get();
      return new Sent(ack.partition(), ack.offset(), record.key(), record.value());
    }
  }

  private Sent sendRaw(String key, String value) throws Exception {
    try (var producer = producer()) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      var ack = producer.send(new ProducerRecord<>(Topics.PINGS, key, bytes)).get();
      return new Sent(ack.partition(), ack.offset(), key, bytes);
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            "bootstrap.servers", brokers,
            "key.serializer", StringSerializer.class,
            "value.serializer", ByteArraySerializer.class));
  }

  private void awaitStored(List<VehiclePing> valid) {
    String only =
        " WHERE vehicle_id IN ("
            + quoted(
                List.copyOf(valid.stream().map(VehiclePing::vehicleId).collect(Collectors.toSet())))
            + ")";
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(tables.rows("SELECT count(*) FROM positions" + only))
                    .containsExactly(valid.size() + "|"));
  }

  private double counter(String name) {
    var counter = meters.find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  private double refusedCount() {
    return deadLetteredCount("refused");
  }

  private double deadLetteredCount(String reason) {
    var counter =
        meters.find("fleetline.routing.pings.dead.lettered").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  /** The dead letters of these keys, read up to the end of the dead-letter topic. */
  private List<ConsumerRecord<String, byte[]>> deadLetters(Set<String> keys) {
    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<String, byte[]>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      TopicPartition partition = new TopicPartition(Topics.PINGS + ".dlt", 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                  if (keys.contains(r.key())) {
                    dead.add(r);
                  }
                }
                return consumer.position(partition) >= end;
              });
    }
    return dead;
  }

  /** Runs {@code work} while sampling readiness; returns the statuses seen. */
  private List<Integer> whileWatchingReadiness(ThrowingRunnable work) throws Exception {
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    watcher.scheduleWithFixedDelay(
        () -> {
          try {
            statuses.add(readinessStatus());
          } catch (InterruptedException e) {
            // The watch is over: a probe cut short by its end says nothing about readiness.
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            statuses.add(-1);
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    try {
      work.run();
    } finally {
      watcher.shutdownNow();
      watcher.awaitTermination(30, TimeUnit.SECONDS);
    }
    statuses.add(readinessStatus());
    return statuses;
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private int readinessStatus() throws Exception {
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    return response.statusCode();
  }
}
