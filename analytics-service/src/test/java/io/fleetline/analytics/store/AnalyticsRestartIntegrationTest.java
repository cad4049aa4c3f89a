package io.fleetline.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.analytics.AnalyticsProperties;
import io.fleetline.analytics.stream.DailySummary;
import io.fleetline.analytics.stream.DetectedEvent;
import io.fleetline.analytics.stream.Finding;
import io.fleetline.analytics.stream.Recomputation;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Measurements;
import io.fleetline.common.PingCodec;
import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * From the pings topic of the real broker through the streams instance to the real PostGIS tables
 * and the events topic, with the service killed mid-run inside a Kafka transaction and another
 * instance taking over with the killed one's state directory.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.analytics.detection.punctuate-interval=1s",
      "fleetline.analytics.detection.reorder-window=2s",
      "fleetline.analytics.event-sweep=1s",
      // A member that is gone (stopped or killed) holds its partitions this long at most.
      "spring.kafka.streams.properties.session.timeout.ms=6000"
    })
@EmbeddedKafka(partitions = 3, topics = Topics.PINGS)
class AnalyticsRestartIntegrationTest {

  static final TestDatabase database = TestPostgis.newDatabase();
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Path stateDir = tempDirectory();

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    database.registerIn(registry);
    registry.add("fleetline.analytics.state-dir", stateDir::toString);
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Autowired JdbcClient jdbc;
  @Autowired StreamsBuilderFactoryBean streams;
  @Autowired AnalyticsProperties properties;

  @Test
  void killedMidTransactionLosesNoEventDuplicatesNoneAndSummariesEqualARecomputation()
      throws Exception {
    UUID fleet = UUID.randomUUID();
    jdbc.sql("INSERT INTO fleets (id, name, time_zone) VALUES (?, 'Night shift', ?)")
        .params(fleet, NEW_YORK.getId())
        .update();
    Instant start = Instant.now().minus(Duration.ofMinutes(40)).truncatedTo(ChronoUnit.SECONDS);
    List<UUID> vehicles = IntStream.range(0, 3).mapToObj(i -> UUID.randomUUID()).toList();
    List<VehiclePing> before = new ArrayList<>();
    List<VehiclePing> after = new ArrayList<>();
    for (int i = 0; i < vehicles.size(); i++) {
      List<VehiclePing> track = drive(vehicles.get(i), fleet, start.plusSeconds(7 * i));
      before.addAll(track.subList(0, 25));
      after.addAll(track.subList(25, track.size()));
    }
    Instant lastBefore =
        before.stream().map(VehiclePing::recordedAt).max(Instant::compareTo).orElseThrow();

    // The service runs in a JVM of its own, on this instance's state directory; this instance's
    // stream waits and stores what that one commits.
    streams.stop();
    try (AnalyticsChildProcess child =
        AnalyticsChildProcess.start(
            lastBefore,
            List.of(
                "spring.kafka.bootstrap-servers=" + brokers,
                "spring.datasource.url=" + database.jdbcUrl(),
                "spring.datasource.username=" + database.username(),
                "spring.datasource.password=" + database.password(),
                "spring.flyway.enabled=false",
                "spring.kafka.listener.auto-startup=false",
                "spring.kafka.streams.properties.session.timeout.ms=6000",
                "fleetline.analytics.state-dir=" + stateDir,
                "fleetline.analytics.detection.punctuate-interval=1s",
                "fleetline.analytics.detection.reorder-window=2s",
                "server.port=0"))) {
      send(before);
      // Acceleration, braking and idling of each vehicle are committed and stored before the kill.
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                assertThat(child.isAlive()).as(child.output()).isTrue();
                assertThat(storedEvents(vehicles)).hasSize(9);
              });
      send(after);
      // Its stream thread stops inside a transaction whose first event of the later pings went to
      // the findings topic uncommitted; then the process is killed.
      await().atMost(Duration.ofSeconds(60)).until(() -> child.stoppedAt().isPresent());
      String inFlight = child.stoppedAt().orElseThrow();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(findingEventKeys("read_uncommitted")).contains(inFlight));
      assertThat(findingEventKeys("read_committed")).doesNotContain(inFlight);
      child.kill();
    }
    streams.start();

    List<VehiclePing> history = readPings(before.size() + after.size());
    Recomputation.Result expected =
        Recomputation.of(
            history,
            properties.detection(),
            f -> f.equals(fleet) ? NEW_YORK : ZoneOffset.UTC,
            Instant.now());
    assertThat(expected.events()).hasSize(15);
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(storedEvents(vehicles))
                  .containsExactlyInAnyOrderElementsOf(
                      expected.events().stream().map(StoredEvent::of).toList());
              assertThat(storedSummaries(vehicles))
                  .containsExactlyInAnyOrderElementsOf(
                      expected.summaries().stream().map(Totals::of).toList());
            });
    // Every stored event is published on the events topic, under its stored id.
    List<Long> storedIds =
        jdbc.sql("SELECT id FROM vehicle_events WHERE vehicle_id = ANY (?)")
            .param(vehicles.toArray(UUID[]::new))
            .query(Long.class)
            .list();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(publishedIds(vehicles)).containsAll(storedIds));
    assertThat(
            jdbc.sql("SELECT count(*) FROM vehicle_status WHERE vehicle_id = ANY (?) AND online")
                .param(vehicles.toArray(UUID[]::new))
                .query(Long.class)
                .single())
        .isEqualTo(3);
    // What the stream committed holds each event once: the killed transaction left nothing.
    List<String> committed = findingEventKeys("read_committed");
    assertThat(
            committed.stream()
                .filter(k -> vehicles.stream().anyMatch(v -> k.contains(v.toString()))))
        .containsExactlyInAnyOrderElementsOf(
            expected.events().stream().map(DetectedEvent::key).toList());
  }

  @Test
  void streamRunsExactlyOnceUnderItsApplicationIdWithItsStateWhereConfigured() {
    java.util.Properties config = streams.getStreamsConfiguration();
    assertThat(config)
        .containsEntry("application.id", "fleetline-analytics")
        .containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("num.standby.replicas", 1)
        .containsEntry("state.dir", properties.stateDir());
    // The brokers (and TLS or SASL, when set) come from the service's own Kafka settings.
    assertThat(config.get("bootstrap.servers")).asString().contains(brokers);
  }

  /** Accelerates and brakes hard, idles 6.5 minutes, drives off and brakes hard again. */
  private static List<VehiclePing> drive(UUID vehicle, UUID fleet, Instant start) {
    List<VehiclePing> pings = new ArrayList<>();
    double lat = 40.7;
    Instant at = start;
    double[] speeds = {0, 12, 24, 36, 50, 50, 50, 50, 34, 18, 10};
    for (double speed : speeds) {
      lat += speed / 3.6 / 111_195;
      pings.add(ping(vehicle, fleet, at, lat, speed));
      at = at.plusSeconds(1);
    }
    for (int i = 0; i < 14; i++) {
      pings.add(ping(vehicle, fleet, at, lat, 0));
      at = at.plusSeconds(30);
    }
    // 25 pings so far: the rest comes after the restart.
    for (double speed : new double[] {20, 40, 40}) {
      lat += speed / 3.6 * 30 / 111_195;
      pings.add(ping(vehicle, fleet, at, lat, speed));
      at = at.plusSeconds(30);
    }
    for (double speed : new double[] {40, 24, 8, 0}) {
      lat += speed / 3.6 / 111_195;
      pings.add(ping(vehicle, fleet, at, lat, speed));
      at = at.plusSeconds(1);
    }
    return pings;
  }

  private static VehiclePing ping(UUID vehicle, UUID fleet, Instant at, double lat, double speed) {
    return new VehiclePing(
        VehiclePing.CURRENT_VERSION,
        vehicle,
        fleet,
        vehicle,
        "http",
        at,
        at,
        new Measurements(lat, -74.0, speed, 0.0, 10.0, 5.0, null, true),
        Map.of());
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
            new ProducerRecord<>(Topics.PINGS, p.vehicleId().toString(), PingCodec.write(p)));
      }
      producer.flush();
    }
  }

  /** The history as Kafka keeps it. */
  private List<VehiclePing> readPings(int count) {
    List<VehiclePing> pings = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          IntStream.range(0, 3).mapToObj(p -> new TopicPartition(Topics.PINGS, p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> pings.add(PingCodec.read(r.value())));
                return pings.size() >= count;
              });
    }
    return pings;
  }

  private Set<Long> publishedIds(List<UUID> vehicles) {
    Set<Long> ids = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(properties.eventsTopic()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      for (int polls = 0; polls < 10; polls++) {
        consumer
            .poll(Duration.ofMillis(300))
            .forEach(
                r -> {
                  VehicleEvent e = FleetlineJson.read(r.value(), VehicleEvent.class);
                  if (vehicles.contains(e.vehicleId())) {
                    ids.add(e.id());
                  }
                });
      }
    }
    return ids;
  }

  /** The keys of the events on the findings topic, up to its end at the isolation level. */
  private List<String> findingEventKeys(String isolation) {
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer(isolation)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(properties.findingsTopic()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          Finding f = FleetlineJson.read(r.value(), Finding.class);
                          if (f.event() != null) {
                            keys.add(f.event().key());
                          }
                        });
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
              });
    }
    return keys;
  }

  private KafkaConsumer<String, byte[]> consumer() {
    return consumer("read_uncommitted");
  }

  private KafkaConsumer<String, byte[]> consumer(String isolation) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            brokers,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolation));
  }

  private static Path tempDirectory() {
    try {
      return Files.createTempDirectory("analytics-state");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record StoredEvent(String key, String type, UUID vehicleId, Instant occurredAt) {
    static StoredEvent of(DetectedEvent e) {
      return new StoredEvent(e.key(), e.type(), e.vehicleId(), e.occurredAt());
    }
  }

  private List<StoredEvent> storedEvents(List<UUID> vehicles) {
    return jdbc.sql(
            "SELECT event_key, type, vehicle_id, occurred_at FROM vehicle_events"
                + " WHERE vehicle_id = ANY (?)")
        .param(vehicles.toArray(UUID[]::new))
        .query(
            (rs, row) ->
                new StoredEvent(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getObject(3, UUID.class),
                    rs.getTimestamp(4).toInstant()))
        .list();
  }

  record Totals(
      UUID vehicleId,
      LocalDate day,
      String timeZone,
      long distanceMm,
      double drivingS,
      double idleS,
      float maxSpeedKmh,
      int trips,
      int harshBraking,
      int harshAcceleration,
      long samples,
      Instant firstAt,
      Instant lastAt) {

    static Totals of(DailySummary s) {
      return new Totals(
          s.vehicleId(),
          s.day(),
          s.timeZone(),
          Math.round(s.distanceM() * 1000),
          s.drivingS(),
          s.idleS(),
          s.maxSpeedKmh().floatValue(),
          s.tripCount(),
          s.harshBrakingCount(),
          s.harshAccelerationCount(),
          s.sampleCount(),
          s.firstAt(),
          s.lastAt());
    }
  }

  private List<Totals> storedSummaries(List<UUID> vehicles) {
    return jdbc.sql(
            "SELECT vehicle_id, day, time_zone, distance_m, driving_s, idle_s, max_speed_kmh,"
                + " trip_count, harsh_braking_count, harsh_acceleration_count, sample_count,"
                + " first_at, last_at FROM vehicle_daily_summaries WHERE vehicle_id = ANY (?)")
        .param(vehicles.toArray(UUID[]::new))
        .query(
            (rs, row) ->
                new Totals(
                    rs.getObject(1, UUID.class),
                    rs.getObject(2, LocalDate.class),
                    rs.getString(3),
                    Math.round(rs.getDouble(4) * 1000),
                    rs.getDouble(5),
                    rs.getDouble(6),
                    rs.getFloat(7),
                    rs.getInt(8),
                    rs.getInt(9),
                    rs.getInt(10),
                    rs.getLong(11),
                    instant(rs.getTimestamp(12)),
                    instant(rs.getTimestamp(13))))
        .list();
  }

  private static Instant instant(Timestamp t) {
    return t.toInstant();
  }
}
