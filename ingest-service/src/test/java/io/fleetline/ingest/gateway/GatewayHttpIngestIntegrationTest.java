package io.fleetline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.registry.DeviceRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A gateway uploads over HTTP the pings of the devices it relays, against the real Kafka broker:
 * each item lands on its own device's vehicle and fleet, and what the gateway may not relay is
 * refused item by item without losing the rest of the upload.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.coap.enabled=false"
    })
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayHttpIngestIntegrationTest {

  static final String GATEWAY_TOKEN = DeviceTokens.newToken();
  static final UUID FLEET = UUID.randomUUID();
  static final UUID OTHER_FLEET = UUID.randomUUID();
  static final UUID GATEWAY_VEHICLE = UUID.randomUUID();
  static final UUID TAG_1_VEHICLE = UUID.randomUUID();
  static final UUID TAG_2_VEHICLE = UUID.randomUUID();

  @LocalServerPort int port;

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Autowired DeviceRegistry registry;

  final HttpClient http = HttpClient.newHttpClient();
  final Instant base = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
  int sequence;
  KafkaTopics topics;

  @BeforeAll
  void registerDevices() throws Exception {
    topics = new KafkaTopics(brokers);
    topics.register(
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            GATEWAY_VEHICLE,
            FLEET,
            DeviceProtocol.GATEWAY,
            "yard-gateway",
            DeviceTokens.sha256Hex(GATEWAY_TOKEN),
            true,
            null,
            Set.of("tag-1", "tag-2", "tag-disabled", "tag-other-fleet", "tag-missing")),
        tag(TAG_1_VEHICLE, FLEET, "tag-1", true),
        tag(TAG_2_VEHICLE, FLEET, "tag-2", true),
        tag(UUID.randomUUID(), FLEET, "tag-disabled", false),
        tag(UUID.randomUUID(), OTHER_FLEET, "tag-other-fleet", true),
        tag(UUID.randomUUID(), FLEET, "tag-3", true));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry.findByToken(GATEWAY_TOKEN).isPresent()
                    && registry.find(new DeviceKey(DeviceProtocol.HTTP, "tag-3")).isPresent());
  }

  @Test
  void eachRelayedPingIsStoredAsItsOwnDevicesPing() throws Exception {
    Instant first = next();
    Instant second = next();

    HttpResponse<String> response =
        post("[" + ping("tag-1", first) + "," + ping("tag-2", second) + "]", GATEWAY_TOKEN);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).contains("\"accepted\":2").contains("\"rejected\":[]");
    VehiclePing one = topics.awaitPing(first);
    VehiclePing two = topics.awaitPing(second);
    assertThat(one.vehicleId()).isEqualTo(TAG_1_VEHICLE);
    assertThat(two.vehicleId()).isEqualTo(TAG_2_VEHICLE);
    assertThat(one.fleetId()).isEqualTo(FLEET);
    assertThat(one.deviceId())
        .isEqualTo(registry.find(new DeviceKey(DeviceProtocol.HTTP, "tag-1")).get().deviceId());
  }

  @Test
  void forgedOtherFleetDisabledAndUnknownDevicesAreRefusedItemByItemAndTheRestStored()
      throws Exception {
    Instant valid = next();
    String marker = "forged-" + UUID.randomUUID();
    String batch =
        "["
            + ping("tag-1", valid)
            + ",{\"device\":\"tag-3\",\"recordedAt\":\""
            + next()
            + "\",\"latitude\":52.5,\"longitude\":13.4,\"attributes\":{\"m\":\""
            + marker
            + "\"}},"
            + ping("tag-other-fleet", next())
            + ","
            + ping("tag-disabled", next())
            + ","
            + ping("tag-missing", next())
            + ","
            + ping(null, next())
            + "]";

    HttpResponse<String> response = post(batch, GATEWAY_TOKEN);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body())
        .contains("\"accepted\":1")
        .contains("{\"index\":1,\"reason\":\"not_relayed\"")
        .contains("{\"index\":2,\"reason\":\"unknown_device\"")
        .contains("{\"index\":3,\"reason\":\"device_disabled\"")
        .contains("{\"index\":4,\"reason\":\"unknown_device\"")
        .contains("{\"index\":5,\"reason\":\"malformed\"");
    assertThat(topics.awaitPing(valid).vehicleId()).isEqualTo(TAG_1_VEHICLE);
    ConsumerRecord<String, byte[]> forged =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker),
                1)
            .get(0);
    assertThat(header(forged, PingHeaders.REJECT_REASON)).isEqualTo("not_relayed");
    assertThat(header(forged, PingHeaders.FLEET_ID)).isEqualTo(FLEET.toString());
    assertThat(forged.key()).isEqualTo(GATEWAY_VEHICLE.toString());
  }

  @Test
  void aGatewayTokenUsedAsADirectDeviceStoresNoPing() throws Exception {
    Instant recordedAt = next();

    HttpResponse<String> response = post(ping(null, recordedAt), GATEWAY_TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("no-valid-pings").contains("malformed");
    assertThat(
            topics.all(Topics.PINGS).stream()
                .map(r -> FleetlineJson.read(r.value(), VehiclePing.class))
                .filter(p -> p.recordedAt().equals(recordedAt)))
        .isEmpty();
  }

  private HttpResponse<String> post(String body, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/pings"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static DeviceRegistration tag(
      UUID vehicle, UUID fleet, String identifier, boolean enabled) {
    return new DeviceRegistration(
        1,
        UUID.randomUUID(),
        vehicle,
        fleet,
        DeviceProtocol.HTTP,
        identifier,
        DeviceTokens.sha256Hex(DeviceTokens.newToken()),
        enabled);
  }

  private Instant next() {
    return base.plusSeconds(++sequence);
  }

  private static String ping(String device, Instant recordedAt) {
    return "{"
        + (device == null ? "" : "\"device\":\"" + device + "\",")
        + "\"recordedAt\":\""
        + recordedAt
        + "\",\"latitude\":52.52,\"longitude\":13.405,\"speedKmh\":30}";
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
