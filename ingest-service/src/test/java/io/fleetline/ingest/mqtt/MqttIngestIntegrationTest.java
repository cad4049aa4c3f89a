package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.testing.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Devices publishing through a real Mosquitto broker, ingest subscribed, the real Kafka broker
 * behind.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.osmand.enabled=false"
    })
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttIngestIntegrationTest {

  static final MosquittoBroker mosquitto = MosquittoBroker.start();
  static final UUID VEHICLE = UUID.randomUUID();

  @DynamicPropertySource
  static void mqtt(DynamicPropertyRegistry registry) {
    registry.add("fleetline.ingest.mqtt.url", mosquitto::url);
    registry.add("fleetline.ingest.mqtt.client-id", () -> "ingest-test-" + UUID.randomUUID());
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Autowired DeviceRegistry registry;
  @Autowired MqttSubscriber subscriber;

  KafkaTopics topics;
  MqttClient device;

  @BeforeAll
  void connect() throws Exception {
    topics = new KafkaTopics(brokers);
    topics.register(
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            VEHICLE,
            UUID.randomUUID(),
            DeviceProtocol.MQTT,
            "tracker-9",
            null,
            true));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.find(new DeviceKey(DeviceProtocol.MQTT, "tracker-9")).isPresent());
    await().atMost(Duration.ofSeconds(30)).until(subscriber::isConnected);
    device =
        new MqttClient(mosquitto.url(), "device-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    device.connect(options);
  }

  @AfterAll
  void close() throws Exception {
    device.disconnect();
    device.close();
    mosquitto.close();
  }

  @Test
  void aPingPublishedWithQos1EndsUpInThePingsTopic() throws Exception {
    Instant recordedAt = Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.MILLIS);

    publish(
        "fleetline/devices/tracker-9/pings",
        "{\"recordedAt\":\""
            + recordedAt
            + "\",\"latitude\":48.1,\"longitude\":11.5,\"ignition\":false}");

    VehiclePing ping = pingRecordedAt(recordedAt);
    assertThat(ping.vehicleId()).isEqualTo(VEHICLE);
    assertThat(ping.protocol()).isEqualTo("mqtt");
    assertThat(ping.ignition()).isFalse();
  }

  @Test
  void anArrayPayloadIsABatch() throws Exception {
    Instant t = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS);

    publish(
        "fleetline/devices/tracker-9/pings",
        "[{\"recordedAt\":\""
            + t
            + "\",\"latitude\":48.1,\"longitude\":11.5},"
            + "{\"recordedAt\":\""
            + t.plusSeconds(1)
            + "\",\"latitude\":48.2,\"longitude\":11.6}]");

    assertThat(pingRecordedAt(t).latitude()).isEqualTo(48.1);
    assertThat(pingRecordedAt(t.plusSeconds(1)).latitude()).isEqualTo(48.2);
  }

  @Test
  void unknownDevicesAndUnreadablePayloadsAreRecordedAsRejected() throws Exception {
    publish("fleetline/devices/stranger/pings", "{\"marker\":\"from-stranger\"}");
    publish("fleetline/devices/tracker-9/pings", "not json at all, marker-garbage");

    assertThat(reasonOfRejected("from-stranger")).isEqualTo("unknown_device");
    assertThat(reasonOfRejected("marker-garbage")).isEqualTo("malformed");
  }

  private void publish(String topic, String payload) throws Exception {
    device.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
  }

  private String reasonOfRejected(String marker) {
    ConsumerRecord<String, byte[]> record =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker),
                1)
            .get(0);
    return new String(
        record.headers().lastHeader(PingHeaders.REJECT_REASON).value(), StandardCharsets.UTF_8);
  }

  private VehiclePing pingRecordedAt(Instant recordedAt) {
    return topics.awaitPing(recordedAt);
  }
}
