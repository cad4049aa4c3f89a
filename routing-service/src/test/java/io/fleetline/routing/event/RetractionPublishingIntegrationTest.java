package io.fleetline.routing.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Measurements;
import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * From late pings on the pings topic of the real broker to a retraction on the events topic, after
 * the event it retracts.
 */
@SpringBootTest(properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(
    partitions = 3,
    topics = {Topics.PINGS, Topics.EVENTS})
class RetractionPublishingIntegrationTest {

  static final TestDatabase database = TestPostgis.newDatabase();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    database.registerIn(registry);
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  final UUID fleet = UUID.randomUUID();
  final UUID vehicle = UUID.randomUUID();
  final Instant t0 = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);

  @Test
  void anOverspeedALatePingContradictsIsRetractedOnTheTopicAfterIt() {
    send(ping(0, 52.8, 130), ping(20, 52.8072, 130), ping(60, 52.82, 50));
    List<VehicleEvent> first = awaitOnTheTopic(1);
    assertThat(first).extracting(VehicleEvent::type).containsExactly(VehicleEvent.OVERSPEED);

    send(ping(10, 52.8036, 90));

    List<VehicleEvent> both = awaitOnTheTopic(2);
    assertThat(both)
        .extracting(VehicleEvent::type)
        .containsExactly(VehicleEvent.OVERSPEED, VehicleEvent.EVENT_RETRACTED);
    VehicleEvent retraction = both.get(1);
    assertThat(((Number) retraction.details().get("retractedId")).longValue())
        .isEqualTo(first.get(0).id());
    assertThat(retraction.occurredAt()).isEqualTo(first.get(0).occurredAt());
    assertThat(retraction.id()).isGreaterThan(first.get(0).id());
  }

  private VehiclePing ping(int second, double lat, double speedKmh) {
    Instant at = t0.plusSeconds(second);
    return new VehiclePing(
        1,
        vehicle,
        fleet,
        UUID.nameUUIDFromBytes(vehicle.toString().getBytes()),
        "http",
        at,
        at.plusSeconds(1),
        new Measurements(lat, 13.5, speedKmh, 0.0, null, null, null, true),
        Map.of());
  }

  private void send(VehiclePing... pings) {
    try (var producer =
        new KafkaProducer<String, byte[]>(
            Map.of(
                "bootstrap.servers", brokers,
                "key.serializer", StringSerializer.class,
                "value.serializer", ByteArraySerializer.class))) {
      for (VehiclePing p : pings) {
        producer.send(
            new ProducerRecord<>(Topics.PINGS, vehicle.toString(), FleetlineJson.write(p)));
      }
      producer.flush();
    }
  }

  /**
   * The vehicle's overspeed events and retractions on the events topic, in topic order, once there
   * are {@code count}.
   */
  private List<VehicleEvent> awaitOnTheTopic(int count) {
    List<VehicleEvent> events = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<String, byte[]>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "retraction-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(Topics.EVENTS));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          VehicleEvent e = FleetlineJson.read(r.value(), VehicleEvent.class);
                          if (e.vehicleId().equals(vehicle)
                              && (e.type().equals(VehicleEvent.OVERSPEED)
                                  || e.type().equals(VehicleEvent.EVENT_RETRACTED))) {
                            events.add(e);
                          }
                        });
                return events.size() >= count;
              });
    }
    return events;
  }
}
