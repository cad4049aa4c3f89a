package io.fleetline.routing.position;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** From the pings topic of the real broker to the real PostGIS tables. */
@SpringBootTest(properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 3, topics = Topics.PINGS)
class PingConsumptionIntegrationTest {

  static final TestDatabase database = TestPostgis.newDatabase();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    database.registerIn(registry);
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Autowired JdbcClient jdbc;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;
  @Autowired ConsumerFactory<?, ?> consumers;

  @Test
  void pingsAreStoredOnceWithTheNewestAsLatestAndGarbageGoesToTheDeadLetterTopic()
      throws Exception {
    UUID vehicle = UUID.randomUUID();
    Instant t0 = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    VehiclePing first = PositionWriterTest.ping(vehicle, t0.toString(), 52.50, 13.40);
    VehiclePing newest =
        PositionWriterTest.ping(vehicle, t0.plusSeconds(10).toString(), 52.51, 13.41);
    VehiclePing late =
        PositionWriterTest.ping(vehicle, t0.minusSeconds(3600).toString(), 52.0, 13.0);

    try (var producer =
        new KafkaProducer<String, byte[]>(
            Map.of(
                "bootstrap.servers", brokers,
                "key.serializer", StringSerializer.class,
                "value.serializer", ByteArraySerializer.class))) {
      for (VehiclePing p : List.of(first, newest, first, late, newest)) {
        producer.send(
            new ProducerRecord<>(Topics.PINGS, vehicle.toString(), FleetlineJson.write(p)));
      }
      producer.send(
          new ProducerRecord<>(
              Topics.PINGS, vehicle.toString(), "{broken".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.sql("SELECT count(*) FROM positions WHERE vehicle_id = ?")
                            .param(vehicle)
                            .query(Long.class)
                            .single())
                    .isEqualTo(3));
    assertThat(
            jdbc.sql("SELECT recorded_at FROM latest_positions WHERE vehicle_id = ?")
                .param(vehicle)
                .query(java.time.OffsetDateTime.class)
                .single()
                .toInstant())
        .isEqualTo(newest.recordedAt());
    assertThat(deadLetters()).contains("{broken");
    // Counted just after the commit the table count above saw.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(meters.get("fleetline.routing.pings.stored").counter().count())
                  .isEqualTo(3);
              assertThat(meters.get("fleetline.routing.pings.duplicate").counter().count())
                  .isEqualTo(2);
              assertThat(meters.get("fleetline.routing.batch.duration").timer().count())
                  .isPositive();
              // The vehicle's window is kept for its next batch, and counted.
              assertThat(meters.get("fleetline.routing.derived.kept.samples").gauge().value())
                  .isPositive();
            });
  }

  /**
   * A polled ping holds about 1.3 KB until its batch is written: a poll of 20000 is about 26 MB per
   * consumer thread, and a fetch buffers at most 8 MiB of record batches for all of a consumer's
   * partitions.
   */
  @Test
  void onePollHoldsAtMostTwentyThousandPingsAndAFetchAtMostEightMebibytes() {
    Map<String, Object> config = consumers.getConfigurationProperties();
    assertThat(config.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).hasToString("20000");
    assertThat(config.get(ConsumerConfig.FETCH_MAX_BYTES_CONFIG)).hasToString("8388608");
    assertThat(config.get(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG)).hasToString("8388608");
  }

  @Test
  void keptWindowsMayHoldATenthOfTheHeapAtAHundredBytesASample() {
    assertThat(meters.get("fleetline.routing.derived.kept.samples.budget").gauge().value())
        .isEqualTo(Runtime.getRuntime().maxMemory() / 10 / 100);
  }

  private List<String> deadLetters() {
    try (var consumer =
        new KafkaConsumer<String, byte[]>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      TopicPartition partition = new TopicPartition(Topics.PINGS + ".dlt", 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      java.util.ArrayList<String> values = new java.util.ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
                return !values.isEmpty();
              });
      return values;
    }
  }
}
