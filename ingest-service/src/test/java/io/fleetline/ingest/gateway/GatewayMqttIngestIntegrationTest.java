package io.fleetline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.MqttPasswordHash;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.mqtt.IngestSubscription;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.testing.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Gateways publishing through a real Mosquitto broker with the project's ACL, ingest subscribed to
 * the gateway topics, the real Kafka broker behind: a gateway's items land on the devices it
 * relays, and a gateway cannot publish on another gateway's topic.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.osmand.enabled=false",
      "fleetline.ingest.teltonika.enabled=false",
      "fleetline.ingest.coap.enabled=false"
    })
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayMqttIngestIntegrationTest {

  static final MosquittoBroker mosquitto = MosquittoBroker.start();
  static final UUID FLEET = UUID.randomUUID();
  static final UUID TAG_VEHICLE = UUID.randomUUID();
  static final UUID OTHER_TAG_VEHICLE = UUID.randomUUID();
  static final String GATEWAY_TOKEN = DeviceTokens.newToken();
  static final String OTHER_GATEWAY_TOKEN = DeviceTokens.newToken();

  @DynamicPropertySource
  static void mqtt(DynamicPropertyRegistry registry) {
    mosquitto.ingestSettings().forEach((name, value) -> registry.add(name, () -> value));
    registry.add("fleetline.ingest.mqtt.client-id", () -> "gateway-test-" + UUID.randomUUID());
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Autowired DeviceRegistry registry;
  @Autowired ApplicationContext context;

  final Instant base = Instant.now().minus(Duration.ofHours(4)).truncatedTo(ChronoUnit.SECONDS);
  int sequence;
  KafkaTopics topics;
  MqttClient gateway;

  @BeforeAll
  void connect() throws Exception {
    topics = new KafkaTopics(brokers);
    topics.register(
        gateway("mqtt-gateway", GATEWAY_TOKEN, Set.of("mqtt-tag-1", "mqtt-tag-disabled")),
        gateway("other-gateway", OTHER_GATEWAY_TOKEN, Set.of("mqtt-tag-2")),
        tag(TAG_VEHICLE, "mqtt-tag-1", true),
        tag(OTHER_TAG_VEHICLE, "mqtt-tag-2", true),
        tag(UUID.randomUUID(), "mqtt-tag-disabled", false));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry.find(new DeviceKey(DeviceProtocol.HTTP, "mqtt-tag-disabled")).isPresent());
    // A message published before ingest's shared subscription exists reaches no one.
    await().atMost(Duration.ofSeconds(30)).until(() -> IngestSubscription.confirmed(context));
    gateway = connectOnceAdmitted("mqtt-gateway", GATEWAY_TOKEN);
  }

  @AfterAll
  void close() throws Exception {
    gateway.disconnect();
    gateway.close();
    mosquitto.close();
  }

  @Test
  void aGatewaysMessageIsStoredOnTheRelayedDevicesAndItsRefusedItemsKeptAsRejected()
      throws Exception {
    Instant relayed = next();
    String marker = "disabled-" + UUID.randomUUID();

    publish(
        "fleetline/gateways/mqtt-gateway/pings",
        "["
            + ping("mqtt-tag-1", relayed, "")
            + ","
            + ping("mqtt-tag-disabled", next(), marker)
            + "]");

    VehiclePing ping = topics.awaitPing(relayed);
    assertThat(ping.vehicleId()).isEqualTo(TAG_VEHICLE);
    assertThat(ping.fleetId()).isEqualTo(FLEET);
    assertThat(ping.protocol()).isEqualTo("mqtt");
    ConsumerRecord<String, byte[]> refused =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker),
                1)
            .get(0);
    assertThat(
            new String(
                refused.headers().lastHeader(PingHeaders.REJECT_REASON).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("device_disabled");
  }

  @Test
  void aGatewayPublishingOnAnotherGatewaysTopicIsDropped() throws Exception {
    Instant forged = next();
    Instant own = next();
    Instant later = next();

    publish("fleetline/gateways/other-gateway/pings", ping("mqtt-tag-2", forged, ""));
    publish("fleetline/gateways/mqtt-gateway/pings", ping("mqtt-tag-1", own, ""));

    // The broker handles one connection's publishes in order: once the later one is stored, the
    // forged one was dropped or had reached ingest already. An item the other gateway relays for
    // the same device that ingest takes after that shares the forged one's partition, so once it
    // is stored the forged one would be stored before it.
    assertThat(topics.awaitPing(own).vehicleId()).isEqualTo(TAG_VEHICLE);
    MqttClient other = connectOnceAdmitted("other-gateway", OTHER_GATEWAY_TOKEN);
    try {
      publish(other, "fleetline/gateways/other-gateway/pings", ping("mqtt-tag-2", later, ""));
    } finally {
      other.disconnect();
      other.close();
    }
    assertThat(topics.awaitPing(later).vehicleId()).isEqualTo(OTHER_TAG_VEHICLE);
    assertThat(topics.all(Topics.PINGS))
        .extracting(r -> FleetlineJson.read(r.value(), VehiclePing.class).recordedAt())
        .doesNotContain(forged);
  }

  private void publish(String topic, String payload) throws Exception {
    publish(gateway, topic, payload);
  }

  private static void publish(MqttClient client, String topic, String payload) throws Exception {
    client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
  }

  private static DeviceRegistration gateway(String identifier, String token, Set<String> relays) {
    return new DeviceRegistration(
        1,
        UUID.randomUUID(),
        UUID.randomUUID(),
        FLEET,
        DeviceProtocol.GATEWAY,
        identifier,
        DeviceTokens.sha256Hex(token),
        true,
        MqttPasswordHash.of(token, MqttPasswordHash.DEVICE_TOKEN_ITERATIONS),
        relays);
  }

  private static DeviceRegistration tag(UUID vehicle, String identifier, boolean enabled) {
    return new DeviceRegistration(
        1,
        UUID.randomUUID(),
        vehicle,
        FLEET,
        DeviceProtocol.HTTP,
        identifier,
        DeviceTokens.sha256Hex(DeviceTokens.newToken()),
        enabled);
  }

  private static MqttClient connectOnceAdmitted(String username, String password) {
    MqttClient[] connected = new MqttClient[1];
    await(username + " admitted by the broker")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(MqttSecurityException.class)
        .until(
            () -> {
              MqttClient client =
                  new MqttClient(
                      mosquitto.url(), "gateway-" + UUID.randomUUID(), new MemoryPersistence());
              MqttConnectOptions options = new MqttConnectOptions();
              options.setCleanSession(true);
              options.setUserName(username);
              options.setPassword(password.toCharArray());
              try {
                client.connect(options);
              } catch (MqttSecurityException e) {
                client.close();
                throw e;
              }
              connected[0] = client;
              return true;
            });
    return connected[0];
  }

  private Instant next() {
    return base.plusSeconds(++sequence);
  }

  private static String ping(String device, Instant recordedAt, String marker) {
    return "{\"device\":\""
        + device
        + "\",\"recordedAt\":\""
        + recordedAt
        + "\",\"latitude\":48.1,\"longitude\":11.5,\"attributes\":{\"m\":\""
        + marker
        + "\"}}";
  }
}
