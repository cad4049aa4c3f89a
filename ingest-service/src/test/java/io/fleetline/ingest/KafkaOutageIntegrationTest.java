package io.fleetline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.MqttPasswordHash;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.testing.KafkaBrokerProcess;
import io.fleetline.ingest.testing.MosquittoBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Kafka goes away in the middle of a stream of pings and comes back: devices are told to retry
 * (HTTP 503 with Retry-After, MQTT messages left unacknowledged) and every ping that was
 * acknowledged, and every MQTT message, is in the topic afterwards.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.osmand.enabled=false",
      "fleetline.ingest.teltonika.enabled=false",
      "fleetline.ingest.publish-timeout=3s",
      "fleetline.ingest.mqtt.reconnect-delay=1s",
      "spring.kafka.producer.properties.max.block.ms=2000",
      "spring.kafka.producer.properties.request.timeout.ms=2000",
      "spring.kafka.producer.properties.delivery.timeout.ms=2500"
    })
class KafkaOutageIntegrationTest {

  static final KafkaBrokerProcess kafka = KafkaBrokerProcess.start();
  static final MosquittoBroker mosquitto = MosquittoBroker.start();
  static final String TOKEN = DeviceTokens.newToken();
  static final String MQTT_TOKEN = DeviceTokens.newToken();
  static final UUID HTTP_VEHICLE = UUID.randomUUID();
  static final UUID MQTT_VEHICLE = UUID.randomUUID();

  @DynamicPropertySource
  static void brokers(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
    mosquitto.ingestSettings().forEach((name, value) -> registry.add(name, () -> value));
    registry.add("fleetline.ingest.mqtt.client-id", () -> "outage-test-" + UUID.randomUUID());
  }

  @AfterAll
  static void stopBrokers() throws Exception {
    mosquitto.close();
    kafka.close();
  }

  @LocalServerPort int port;
  @Autowired DeviceRegistry registry;

  final HttpClient http = HttpClient.newHttpClient();
  final Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
  int sequence;

  @Test
  void everyAcknowledgedPingSurvivesABrokerOutage() throws Exception {
    KafkaTopics topics = new KafkaTopics(kafka.bootstrapServers());
    topics.register(
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            HTTP_VEHICLE,
            UUID.randomUUID(),
            DeviceProtocol.HTTP,
            "outage-http",
            DeviceTokens.sha256Hex(TOKEN),
            true),
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            MQTT_VEHICLE,
            UUID.randomUUID(),
            DeviceProtocol.MQTT,
            "outage-mqtt",
            DeviceTokens.sha256Hex(MQTT_TOKEN),
            true,
            MqttPasswordHash.of(MQTT_TOKEN, MqttPasswordHash.DEVICE_TOKEN_ITERATIONS)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry.findByToken(TOKEN).isPresent()
                    && registry
                        .find(new DeviceKey(DeviceProtocol.MQTT, "outage-mqtt"))
                        .isPresent());
    Set<Instant> acknowledged = new HashSet<>();
    Set<Instant> publishedOverMqtt = new HashSet<>();

    for (int i = 0; i < 10; i++) {
      assertThat(sendHttp(acknowledged).statusCode()).isEqualTo(202);
    }

    kafka.stop();
    await("health reports Kafka down")
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/actuator/health").contains("\"kafka\":{\"status\":\"DOWN\""));
    assertThat(get("/actuator/health/readiness"))
        .as("still serving devices with 503")
        .contains("\"status\":\"UP\"");
    int refused = 0;
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> response = sendHttp(acknowledged);
      if (response.statusCode() != 202) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        refused++;
      }
    }
    assertThat(refused).as("pings refused while Kafka is down").isPositive();
    try (MqttClient device =
        new MqttClient(mosquitto.url(), "dev-" + UUID.randomUUID(), new MemoryPersistence())) {
      MqttConnectOptions login = new MqttConnectOptions();
      login.setUserName("outage-mqtt");
      login.setPassword(MQTT_TOKEN.toCharArray());
      // The broker admits the device once ingest has written it into the password file.
      await("the device may log in")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptionsInstanceOf(MqttSecurityException.class)
          .until(
              () -> {
                device.connect(login);
                return true;
              });
      for (int i = 0; i < 5; i++) {
        Instant recordedAt = nextTime();
        device.publish(
            "fleetline/devices/outage-mqtt/pings",
            ping(recordedAt).getBytes(StandardCharsets.UTF_8),
            1,
            false);
        publishedOverMqtt.add(recordedAt);
      }
      device.disconnect();
    }

    kafka.restart();
    await("ingest accepts pings again")
        .atMost(Duration.ofSeconds(90))
        .until(() -> sendHttp(acknowledged).statusCode() == 202);
    for (int i = 0; i < 10; i++) {
      assertThat(sendHttp(acknowledged).statusCode()).isEqualTo(202);
    }

    assertThat(recordedTimes(topics, HTTP_VEHICLE, acknowledged.size())).containsAll(acknowledged);
    assertThat(recordedTimes(topics, MQTT_VEHICLE, publishedOverMqtt.size()))
        .containsAll(publishedOverMqtt);
  }

  private Set<Instant> recordedTimes(KafkaTopics topics, UUID vehicle, int atLeast) {
    Set<Instant> times = new HashSet<>();
    List<VehiclePing> pings =
        topics.await(Topics.PINGS, r -> r.key().equals(vehicle.toString()), atLeast).stream()
            .map(r -> FleetlineJson.read(r.value(), VehiclePing.class))
            .toList();
    pings.forEach(p -> times.add(p.recordedAt()));
    return times;
  }

  private HttpResponse<String> sendHttp(Set<Instant> acknowledged) throws Exception {
    Instant recordedAt = nextTime();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/pings"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(ping(recordedAt)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 202) {
      acknowledged.add(recordedAt);
    }
    return response;
  }

  private String get(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private synchronized Instant nextTime() {
    return base.plusSeconds(sequence++);
  }

  private static String ping(Instant recordedAt) {
    return "{\"recordedAt\":\"" + recordedAt + "\",\"latitude\":50.1,\"longitude\":8.6}";
  }
}
