package io.fleetline.routing.derived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.position.BatchFault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service against the real broker and PostGIS under faults: a batch that dies after its
 * history write, and the database going away mid-stream. Afterwards every table holds exactly what
 * an undisturbed run stores, and every new event was published once.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "spring.kafka.consumer.max-poll-records=100"
    })
@EmbeddedKafka(
    partitions = 3,
    topics = {Topics.PINGS, Topics.EVENTS})
class RoutingFaultsIntegrationTest {

  static final TestDatabase database = TestPostgis.newDatabase();
  static final AtomicInteger crashesLeft = new AtomicInteger();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    database.registerIn(registry);
  }

  @TestConfiguration
  static class Faults {
    /** Dies after everything is written and before the commit, while crashes are armed. */
    @Bean
    BatchFault crashBeforeCommit() {
      return pings -> {
        if (crashesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new IllegalStateException("injected crash before commit");
        }
      };
    }
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @LocalServerPort int port;

  final DerivedTables tables = new DerivedTables(database, BatchFault.NONE);

  @Test
  void aBatchKilledBeforeCommitIsRedeliveredAndLeavesTheTablesAsAnUndisturbedRun() {
    List<UUID> vehicles = List.of(UUID.randomUUID(), UUID.randomUUID());
    List<VehiclePing> pings =
        Scenario.pings(UUID.randomUUID(), vehicles, Instant.now().minus(Duration.ofHours(5)));
    crashesLeft.set(3);

    send(pings);

    awaitStored(vehicles, pings);
    assertThat(crashesLeft.get()).isZero();
    assertSameAsUndisturbed(vehicles, pings);
  }

  @Test
  void whileTheDatabaseIsAwayReadinessIsDownAndNothingIsLostOrDuplicatedAfterward()
      throws Exception {
    Assumptions.assumeTrue(TestPostgis.canStopServer(), "needs the local throwaway cluster");
    List<UUID> vehicles = List.of(UUID.randomUUID(), UUID.randomUUID());
    List<VehiclePing> pings =
        Scenario.pings(UUID.randomUUID(), vehicles, Instant.now().minus(Duration.ofHours(5)));
    send(pings.subList(0, pings.size() / 3));
    awaitCount(vehicles, pings.size() / 3);

    TestPostgis.stopServer();
    try {
      send(pings.subList(pings.size() / 3, pings.size()));
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(readinessStatus()).isEqualTo(503));
    } finally {
      TestPostgis.startServer();
    }

    awaitStored(vehicles, pings);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(readinessStatus()).isEqualTo(200));
    assertSameAsUndisturbed(vehicles, pings);
  }

  private void assertSameAsUndisturbed(List<UUID> vehicles, List<VehiclePing> pings) {
    DerivedTables undisturbed = new DerivedTables(TestPostgis.newDatabase(), BatchFault.NONE);
    for (UUID vehicle : vehicles) {
      // Per vehicle in time order, as Kafka delivers one vehicle's pings, in batches of 100.
      List<VehiclePing> own = pings.stream().filter(p -> p.vehicleId().equals(vehicle)).toList();
      for (int i = 0; i < own.size(); i += 100) {
        undisturbed.write(own.subList(i, Math.min(own.size(), i + 100)));
      }
    }
    String only = " WHERE vehicle_id IN (" + quoted(vehicles) + ")";
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
    List<String> storedIds = tables.rows("SELECT id FROM vehicle_events" + only + " ORDER BY id");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(publishedEventIds(brokers, vehicles))
                    .containsExactlyElementsOf(storedIds));
  }

  static final String TRIPS =
      "SELECT id, vehicle_id, started_at, ended_at, distance_m, duration_s, max_speed_kmh,"
          + " avg_speed_kmh, ST_AsText(path), point_count, open FROM trips";
  static final String STOPS =
      "SELECT id, vehicle_id, started_at, ended_at, ST_AsText(location), duration_s, open FROM stops";
  static final String EVENTS =
      "SELECT event_key, type, occurred_at, ST_AsText(location), details FROM vehicle_events";

  static String snapshot(String table, String where) {
    return "SELECT vehicle_id, recorded_at, fleet_id, received_at, ST_AsText(location), speed_kmh,"
        + " ignition FROM "
        + table
        + where
        + " ORDER BY vehicle_id, recorded_at";
  }

  static String quoted(List<UUID> ids) {
    return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
  }

  private void send(List<VehiclePing> pings) {
    try (var producer =
        new KafkaProducer<String, byte[]>(
            Map.of(
                "bootstrap.servers", brokers,
                "key.serializer", StringSerializer.class,
                "value.serializer", ByteArraySerializer.class))) {
      for (VehiclePing p : pings) {
        producer.send(
            new ProducerRecord<>(Topics.PINGS, p.vehicleId().toString(), FleetlineJson.write(p)));
      }
      producer.flush();
    }
  }

  private void awaitStored(List<UUID> vehicles, List<VehiclePing> pings) {
    awaitCount(vehicles, pings.size());
  }

  private void awaitCount(List<UUID> vehicles, int expected) {
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(
                        tables.rows(
                            "SELECT count(*) FROM positions WHERE vehicle_id IN ("
                                + quoted(vehicles)
                                + ")"))
                    .containsExactly(expected + "|"));
  }

  private int readinessStatus() throws Exception {
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    return response.statusCode();
  }

  /** The ids of the events published for these vehicles, in order, each as a row of one column. */
  static List<String> publishedEventIds(String brokers, List<UUID> vehicles) {
    List<String> ids = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<String, byte[]>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(Topics.EVENTS));
      int emptyPolls = 0;
      while (emptyPolls < 3) {
        var records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty() && !consumer.assignment().isEmpty()) {
          emptyPolls++;
        }
        for (var r : records) {
          VehicleEvent e = FleetlineJson.read(r.value(), VehicleEvent.class);
          if (vehicles.contains(e.vehicleId())) {
            ids.add(Long.toString(e.id()) + "|");
          }
        }
      }
    }
    ids.sort(java.util.Comparator.comparing(s -> Long.parseLong(s.substring(0, s.length() - 1))));
    return ids;
  }
}
