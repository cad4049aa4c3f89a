package io.fleetline.routing.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.RoutingProperties;
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

/** The outbox sweep on the real PostGIS and a real broker. */
class EventSweepIntegrationTest {

  static final String TOPIC = "fleetline.events.sweep-test";
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
          new RoutingProperties(Topics.PINGS, Topics.PINGS + ".dlt", "routing", 1, TOPIC, 1));
  final JdbcClient jdbc = JdbcClient.create(dataSource);
  final UUID fleet = UUID.randomUUID();
  final UUID vehicle = UUID.randomUUID();

  @AfterAll
  static void stopBroker() {
    kafka.destroy();
    broker.destroy();
  }

  @Test
  void sweepRepublishesRoutingsOwnEventsAndLeavesAnalyticsEventsToAnalytics() {
    long trip = unpublished(VehicleEvent.TRIP_STARTED);
    long harsh = unpublished(VehicleEvent.HARSH_BRAKING);

    publisher.sweep();

    assertThat(published(trip)).isTrue();
    assertThat(published(harsh)).isFalse();
    List<String> sent = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              sent.addAll(typesSentFor(vehicle));
              assertThat(sent).contains(VehicleEvent.TRIP_STARTED);
            });
    assertThat(sent).containsOnly(VehicleEvent.TRIP_STARTED);
  }

  @Test
  void eventClaimedByAnotherInstancesSweepIsSkippedNotSentTwice() throws Exception {
    long trip = unpublished(VehicleEvent.TRIP_ENDED);
    try (Connection other =
        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
      other.setAutoCommit(false);
      try (PreparedStatement claim =
          other.prepareStatement("SELECT id FROM vehicle_events WHERE id = ? FOR UPDATE")) {
        claim.setLong(1, trip);
        claim.executeQuery().close();
      }
      CompletableFuture<Void> sweep = CompletableFuture.runAsync(publisher::sweep);
      try {
        await().atMost(Duration.ofSeconds(20)).until(sweep::isDone);
        assertThat(published(trip)).isFalse();
      } finally {
        other.rollback();
      }
      sweep.join();
    }

    publisher.sweep();
    assertThat(published(trip)).isTrue();
  }

  @Test
  void aRetractionGoesOnTheTopicAfterTheEventItRetracts() throws Exception {
    String key = VehicleEvent.TRIP_STARTED + ":" + vehicle + ":" + UUID.randomUUID();
    long trip = unpublished(VehicleEvent.TRIP_STARTED, key);
    publisher.sweep();
    assertThat(published(trip)).isTrue();

    List<VehicleEvent> retractions = retract(key);
    publisher.publish(retractions);

    assertThat(retractions).singleElement().satisfies(r -> assertThat(published(r.id())).isTrue());
    assertThat(((Number) retractions.get(0).details().get("retractedId")).longValue())
        .isEqualTo(trip);
    assertThat(retractions.get(0).details())
        .containsEntry("retractedType", VehicleEvent.TRIP_STARTED);
    assertThat(typesOnTheTopicFor(vehicle, 2))
        .containsExactly(VehicleEvent.TRIP_STARTED, VehicleEvent.EVENT_RETRACTED);
  }

  @Test
  void aRetractionOfAnEventNotYetPublishedWaitsForItAndFollowsIt() throws Exception {
    UUID vehicle = UUID.randomUUID();
    String key = VehicleEvent.OVERSPEED + ":" + vehicle + ":" + UUID.randomUUID();
    long overspeed = unpublished(VehicleEvent.OVERSPEED, key, vehicle);
    List<VehicleEvent> retractions = retract(key);
    long retraction = retractions.get(0).id();
    jdbc.sql("UPDATE vehicle_events SET created_at = now() - interval '1 minute' WHERE id = ?")
        .param(retraction)
        .update();

    publisher.publish(retractions);
    assertThat(published(retraction)).as("sent before its event").isFalse();
    publisher.sweep();
    assertThat(published(overspeed)).isTrue();
    assertThat(published(retraction)).as("swept with its event").isFalse();
    publisher.sweep();
    assertThat(published(retraction)).isTrue();

    assertThat(typesOnTheTopicFor(vehicle, 2))
        .containsExactly(VehicleEvent.OVERSPEED, VehicleEvent.EVENT_RETRACTED);
  }

  @Test
  void theSweepLeavesRetractionsOfAnotherServicesEventsToThatService() {
    long harsh = unpublished(VehicleEvent.HARSH_BRAKING);
    long retraction =
        jdbc.sql(
                """
                INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at,
                                            details, created_at)
                VALUES (:key, :fleet, :vehicle, 'event_retracted', now(),
                        jsonb_build_object('retractedId', :harsh, 'retractedType', 'harsh_braking'),
                        now() - interval '1 minute')
                RETURNING id""")
            .param("key", "event_retracted:" + harsh)
            .param("fleet", fleet)
            .param("vehicle", vehicle)
            .param("harsh", harsh)
            .query(Long.class)
            .single();
    jdbc.sql("UPDATE vehicle_events SET published_at = now() WHERE id = ?").param(harsh).update();

    publisher.sweep();

    assertThat(published(retraction)).isFalse();
  }

  private List<VehicleEvent> retract(String key) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      return new EventStore(EventSettings.defaults()).retract(c, List.of(key));
    }
  }

  /** The types on the topic for one vehicle, in topic order, once {@code count} are there. */
  private List<String> typesOnTheTopicFor(UUID vehicleId, int count) {
    List<String> types = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              types.clear();
              types.addAll(typesSentFor(vehicleId));
              assertThat(types).hasSizeGreaterThanOrEqualTo(count);
            });
    return types;
  }

  private long unpublished(String type) {
    return unpublished(type, type + ":" + vehicle + ":" + UUID.randomUUID());
  }

  private long unpublished(String type, String key) {
    return unpublished(type, key, vehicle);
  }

  private long unpublished(String type, String key, UUID vehicle) {
    return jdbc.sql(
            """
            INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at,
                                        created_at)
            VALUES (:key, :fleet, :vehicle, :type, now(), now() - interval '1 minute')
            RETURNING id""")
        .param("key", key)
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
