package io.fleetline.db.testing;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The {@code vehicle_events} outbox of a fresh test database and a real broker with the topic a
 * service's sweep publishes it to: for tests of that sweep, which leave events unpublished, sweep,
 * and look at what was marked published and what reached the topic. One per test class, in a static
 * {@code @AutoClose} field.
 */
public final class EventOutbox implements AutoCloseable {

  private final String topic;
  private final EmbeddedKafkaKraftBroker broker;
  private final TestDatabase database = TestPostgis.newDatabase();
  private final DriverManagerDataSource dataSource =
      new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password());
  private final JdbcClient jdbc = JdbcClient.create(dataSource);
  private final KafkaTemplate<String, byte[]> kafka;

  /** Starts a broker with {@code topic} and hands out a new database. */
  public EventOutbox(String topic) {
    this.topic = topic;
    this.broker = new EmbeddedKafkaKraftBroker(1, 1, topic);
    broker.afterPropertiesSet();
    this.kafka =
        new KafkaTemplate<>(
            new DefaultKafkaProducerFactory<>(
                Map.<String, Object>of(
                    "bootstrap.servers", broker.getBrokersAsString(),
                    "key.serializer", StringSerializer.class,
                    "value.serializer", ByteArraySerializer.class)));
  }

  public String topic() {
    return topic;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** A producer to the broker, for the publisher under test. */
  public KafkaTemplate<String, byte[]> kafka() {
    return kafka;
  }

  /** Stores an event that its service wrote a minute ago and never sent; returns its id. */
  public long unpublished(UUID fleet, UUID vehicle, String type, String key) {
    return jdbc.sql(
            """
            INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at,
                                        created_at)
            VALUES (:key, :fleet, :vehicle, :type, now(), now() - interval '1 minute')
            RETURNING id\
            """)
        .param("key", key)
        .param("fleet", fleet)
        .param("vehicle", vehicle)
        .param("type", type)
        .query(Long.class)
        .single();
  }

  /** Whether the event has been marked as sent. */
  public boolean published(long id) {
    return jdbc.sql("SELECT published_at IS NOT NULL FROM vehicle_events WHERE id = ?")
        .param(id)
        .query(Boolean.class)
        .single();
  }

  /**
   * Runs {@code sweep} while another transaction holds the event's row, as another instance's sweep
   * does that has claimed it, and lets go once the sweep is done (or has had 20 seconds).
   */
  public void sweepWhileClaimedElsewhere(long id, Runnable sweep) throws Exception {
    try (Connection other = database.connect()) {
      other.setAutoCommit(false);
      try (PreparedStatement claim =
          other.prepareStatement("SELECT id FROM vehicle_events WHERE id = ? FOR UPDATE")) {
        claim.setLong(1, id);
        claim.executeQuery().close();
      }
      CompletableFuture<Void> sweeping = CompletableFuture.runAsync(sweep);
      try {
        sweeping.get(20, TimeUnit.SECONDS);
      } finally {
        other.rollback();
      }
    }
  }

  /**
   * The types of the events on the topic for one vehicle, in topic order: every copy sent before
   * the call, however many. Each partition is read from its beginning up to a marker record sent to
   * it first, so anything the publisher under test had sent, a second copy included, is read.
   */
  public List<String> typesSentFor(UUID vehicleId) throws Exception {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                broker.getBrokersAsString(),
                "key.deserializer",
                StringDeserializer.class,
                "value.deserializer",
                ByteArrayDeserializer.class))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      String marker = "read-to-here-" + UUID.randomUUID();
      for (TopicPartition partition : partitions) {
        kafka.send(topic, partition.partition(), marker, new byte[0]).get(30, TimeUnit.SECONDS);
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Set<Integer> unread = new HashSet<>();
      partitions.forEach(partition -> unread.add(partition.partition()));
      List<String> types = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!unread.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the topic " + topic + " not read to its end within 30 s");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (marker.equals(r.key())) {
            unread.remove(r.partition());
          } else if (vehicleId.toString().equals(r.key())) {
            types.add(FleetlineJson.read(r.value(), VehicleEvent.class).type());
          }
        }
      }
      return types;
    }
  }

  /** Stops the producer and the broker. */
  @Override
  public void close() {
    kafka.destroy();
    broker.destroy();
  }
}
