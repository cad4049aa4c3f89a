package io.fleetline.routing.derived;

import static io.fleetline.routing.derived.RoutingFaultsIntegrationTest.EVENTS;
import static io.fleetline.routing.derived.RoutingFaultsIntegrationTest.STOPS;
import static io.fleetline.routing.derived.RoutingFaultsIntegrationTest.TRIPS;
import static io.fleetline.routing.derived.RoutingFaultsIntegrationTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.RoutingApplication;
import io.fleetline.routing.position.BatchFault;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.Track;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Two routing instances in one consumer group on the real broker and PostGIS. One is held inside a
 * batch's transaction past its poll timeout, with a window of a vehicle kept in memory; the other
 * takes the partition over and stores a late ping inside that window, which the first does not know
 * of. When the first goes on, its batch, derived from the stale window, must not commit: the tables
 * end as an undisturbed run leaves them, every ping and event stored once.
 */
@EmbeddedKafka(
    partitions = 1,
    topics = {Topics.PINGS, Topics.EVENTS})
class ZombieWriterFencingIntegrationTest {

  static final TestDatabase database = TestPostgis.newDatabase();

  @Test
  void aConsumerHeldPastItsPollTimeoutCannotCommitItsBatchAfterTheNewOwner(
      EmbeddedKafkaBroker broker) throws Exception {
    String brokers = broker.getBrokersAsString();
    UUID fleet = UUID.randomUUID();
    UUID vehicle = UUID.randomUUID();
    List<Sample> samples =
        new Track(Instant.now().minus(Duration.ofHours(3)), 52.5, 13.4, 7)
            .park(Duration.ofMinutes(8), Duration.ofSeconds(30), 15)
            .drive(Duration.ofMinutes(7), Scenario.SEC10, 45, 90)
            .samples();
    List<VehiclePing> driven = new ArrayList<>();
    samples.forEach(s -> driven.add(Scenario.ping(fleet, vehicle, s)));
    List<VehiclePing> first = driven.subList(0, driven.size() - 1);
    VehiclePing next = driven.get(driven.size() - 1);
    // Inside the open trip the first instance keeps: it moves no newest stored time.
    VehiclePing late = shifted(first.get(first.size() - 10), 3);
    Gate zombieGate = new Gate();
    Gate ownerGate = new Gate();
    TripQueries tables = new TripQueries(vehicle);

    try (ConfigurableApplicationContext zombie = start(brokers, zombieGate, 500, 3_000)) {
      send(brokers, first);
      await().atMost(Duration.ofSeconds(60)).until(() -> tables.count() == first.size());

      // The late ping and the next one reach the first instance in one batch, which it holds.
      MessageListenerContainer container =
          zombie.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("pings");
      container.pause();
      await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
      zombieGate.holdBatchWith(next);
      send(brokers, List.of(late, next));
      container.resume();
      await().atMost(Duration.ofSeconds(30)).until(zombieGate::reached);

      ownerGate.holdBatchWith(next);
      try (ConfigurableApplicationContext owner = start(brokers, ownerGate, 1, 300_000)) {
        // The second instance got the partition and stored the late ping alone.
        await().atMost(Duration.ofSeconds(60)).until(ownerGate::reached);
        assertThat(tables.count()).isEqualTo(first.size() + 1);

        zombieGate.release();
        Counter fenced = fencedBatches(zombie);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> fenced.count() > 0 || tables.count() > first.size() + 1);
        assertThat(tables.count())
            .as("pings committed by the held instance")
            .isEqualTo(first.size() + 1);

        ownerGate.release();
        await().atMost(Duration.ofSeconds(60)).until(() -> tables.count() == first.size() + 2);
        assertThat(fencedBatches(owner).count()).isZero();
      }
    }

    DerivedTables undisturbed = new DerivedTables(TestPostgis.newDatabase(), BatchFault.NONE);
    undisturbed.write(first);
    undisturbed.write(List.of(late));
    undisturbed.write(List.of(next));
    String only = " WHERE vehicle_id = '" + vehicle + "'";
    for (String table : List.of("positions", "latest_positions")) {
      assertThat(tables.rows(snapshot(table, only)))
          .as(table)
          .containsExactlyElementsOf(undisturbed.rows(snapshot(table, "")));
    }
    assertThat(tables.rows(TRIPS + only + " ORDER BY started_at"))
        .containsExactlyElementsOf(undisturbed.rows(TRIPS + " ORDER BY started_at"))
        .isNotEmpty();
    assertThat(tables.rows(STOPS + only + " ORDER BY started_at"))
        .containsExactlyElementsOf(undisturbed.rows(STOPS + " ORDER BY started_at"));
    assertThat(tables.rows(EVENTS + only + " ORDER BY event_key"))
        .containsExactlyElementsOf(undisturbed.rows(EVENTS + " ORDER BY event_key"))
        .isNotEmpty();
    List<String> storedIds = tables.rows("SELECT id FROM vehicle_events" + only + " ORDER BY id");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        RoutingFaultsIntegrationTest.publishedEventIds(brokers, List.of(vehicle)))
                    .containsExactlyElementsOf(storedIds));
  }

  private static Counter fencedBatches(ConfigurableApplicationContext instance) {
    return instance.getBean(MeterRegistry.class).counter("fleetline.routing.batches.fenced");
  }

  private static ConfigurableApplicationContext start(
      String brokers, BatchFault fault, int maxPollRecords, int maxPollIntervalMs) {
    return new SpringApplicationBuilder(RoutingApplication.class)
        .initializers(c -> c.getBeanFactory().registerSingleton("batchFault", fault))
        .run(
            "--server.port=0",
            "--spring.kafka.bootstrap-servers=" + brokers,
            "--spring.datasource.url=" + database.jdbcUrl(),
            "--spring.datasource.username=" + database.username(),
            "--spring.datasource.password=" + database.password(),
            "--fleetline.routing.concurrency=1",
            "--spring.kafka.consumer.max-poll-records=" + maxPollRecords,
            "--spring.kafka.consumer.properties.max.poll.interval.ms=" + maxPollIntervalMs);
  }

  private static void send(String brokers, List<VehiclePing> pings) {
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

  private static VehiclePing shifted(VehiclePing p, long seconds) {
    return Scenario.ping(
        p.fleetId(),
        p.vehicleId(),
        new Sample(
            p.recordedAt().plusSeconds(seconds),
            p.measurements().latitude() + 0.001,
            p.measurements().longitude(),
            p.measurements().speedKmh(),
            p.measurements().ignition()));
  }

  /** Holds the batch holding a given ping inside its transaction, before it writes or locks. */
  static final class Gate implements BatchFault {

    private volatile VehiclePing holdOn;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    void holdBatchWith(VehiclePing ping) {
      holdOn = ping;
    }

    boolean reached() {
      return reached.getCount() == 0;
    }

    void release() {
      released.countDown();
    }

    @Override
    public void beforeCommit(List<VehiclePing> pings) {}

    @Override
    public void beforeWrite(List<VehiclePing> pings) {
      VehiclePing awaited = holdOn;
      if (awaited == null
          || pings.stream()
              .noneMatch(
                  p ->
                      p.vehicleId().equals(awaited.vehicleId())
                          && p.recordedAt().equals(awaited.recordedAt()))) {
        return;
      }
      holdOn = null;
      reached.countDown();
      try {
        released.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The shared database's rows of the vehicle. */
  private static final class TripQueries {

    private final UUID vehicle;
    private final DerivedTables tables = new DerivedTables(database, BatchFault.NONE);

    TripQueries(UUID vehicle) {
      this.vehicle = vehicle;
    }

    long count() {
      return Long.parseLong(
          rows("SELECT count(*) FROM positions WHERE vehicle_id = '" + vehicle + "'")
              .get(0)
              .replace("|", ""));
    }

    List<String> rows(String sql) {
      return tables.rows(sql);
    }
  }
}
