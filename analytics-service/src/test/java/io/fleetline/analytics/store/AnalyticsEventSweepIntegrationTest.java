package io.fleetline.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.analytics.AnalyticsProperties;
import io.fleetline.analytics.stream.DetectionSettings;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The analytics outbox sweep on the real PostGIS and a real broker. */
class AnalyticsEventSweepIntegrationTest {

  static final String TOPIC = "fleetline.events.analytics-sweep-test";
  static final EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, TOPIC);

  static {
    broker.afterPropertiesSet();
  }

  static final TestDatabase database = TestPostgis.newDatabase();
  static final DriverManagerDataSource dataSource =
      new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password());
  static final KafkaTemplate<String, byte[]> kafka =
      new KafkaTemplate<>(
          new DefaultKafkaProducerFactory<>(
              Map.<String, Object>of(
                  "bootstrap.servers", broker.getBrokersAsString(),
                  "key.serializer", StringSerializer.class,
                  "value.serializer", ByteArraySerializer.class)));

  final EventPublisher publisher =
      new EventPublisher(
          kafka,
          dataSource,
          new AnalyticsProperties(
              Topics.PINGS,
              "fleetline.analytics.findings",
              1,
              TOPIC,
              1,
              "fleetline-analytics",
              "fleetline-analytics-store",
              "/tmp/fleetline-analytics",
              1,
              0,
              -1,
              Duration.ofMinutes(1),
              Duration.ofSeconds(10),
              DetectionSettings.defaults()));
  final JdbcClient jdbc = JdbcClient.create(dataSource);
  final UUID fleet = UUID.randomUUID();
  final UUID vehicle = UUID.randomUUID();

  @AfterAll
  static void stopBroker() {
    kafka.destroy();
    broker.destroy();
  }

  @Test
  void eventClaimedByAnotherInstancesSweepIsSkippedNotSentTwice() throws Exception {
    long idling = unpublished(VehicleEvent.IDLING_STARTED);
    long routings = unpublished(VehicleEvent.TRIP_ENDED);
    try (Connection other =
        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
      other.setAutoCommit(false);
      try (PreparedStatement claim =
          other.prepareStatement("SELECT id FROM vehicle_events WHERE id = ? FOR UPDATE")) {
        claim.setLong(1, idling);
        claim.executeQuery().close();
      }
      CompletableFuture<Void> sweep = CompletableFuture.runAsync(publisher::sweep);
      try {
        await().atMost(Duration.ofSeconds(20)).until(sweep::isDone);
        assertThat(published(idling)).isFalse();
      } finally {
        other.rollback();
      }
      sweep.join();
    }

    publisher.sweep();
    assertThat(published(idling)).isTrue();
    assertThat(published(routings)).isFalse();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(typesSentFor(vehicle)).containsOnly(VehicleEvent.IDLING_STARTED));
  }

  private long unpublished(String type) {
    return jdbc.sql(
            """
            INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at,
                                        created_at)
            VALUES (:key, :fleet, :vehicle, :type, now(), now() - interval '1 minute')
            RETURNING id""")
        .param("key", type + ":" + vehicle + ":" + UUID.randomUUID())
        .param("fleet", fleet)
        .param("vehicle", vehicle)
        .param("type", type)
        .query(Long.class)
        .single();
  }

  private boolean published(long id) {
    return jdbc.sql("SELECT published_at IS NOT NULL FROM vehicle_events WHERE id = ?")
        .param(id)
        .query(Boolean.class)
        .single();
  }

  /** The types of the events on the topic for one vehicle, read from the beginning. */
  private List<String> typesSentFor(UUID vehicleId) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                broker.getBrokersAsString(),
                "group.id",
                "sweep-test-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest",
                "key.deserializer",
                StringDeserializer.class,
                "value.deserializer",
                ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(TOPIC));
      List<String> types = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(5))) {
        if (r.key().equals(vehicleId.toString())) {
          types.add(FleetlineJson.read(r.value(), VehicleEvent.class).type());
        }
      }
      return types;
    }
  }
}
