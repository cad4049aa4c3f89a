package io.fleetline.ingest.osmand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
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
 * The OsmAnd protocol on its own port, with requests written the way the Traccar Client apps send
 * them.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.osmand.port=0"
    })
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OsmandIngestIntegrationTest {

  static final UUID VEHICLE = UUID.randomUUID();

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @LocalServerPort int mainPort;

  @Autowired OsmandConnector connector;
  @Autowired DeviceRegistry registry;

  final HttpClient http = HttpClient.newHttpClient();
  KafkaTopics topics;
  String osmand;

  @BeforeAll
  void registerPhone() throws Exception {
    topics = new KafkaTopics(brokers);
    topics.register(
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            VEHICLE,
            UUID.randomUUID(),
            DeviceProtocol.OSMAND,
            "phone-42",
            null,
            true));
    await().atMost(Duration.ofSeconds(30)).until(registry::isLoaded);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry
                    .find(new io.fleetline.common.DeviceKey(DeviceProtocol.OSMAND, "phone-42"))
                    .isPresent());
    osmand = "http://127.0.0.1:" + connector.boundPort();
  }

  @Test
  void aClassicGetIsStoredWithSpeedConvertedFromKnots() throws Exception {
    long timestamp = Instant.now().minusSeconds(30).getEpochSecond();
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        osmand
                            + "/?id=phone-42&lat=52.52&lon=13.405"
                            + "&timestamp="
                            + timestamp
                            + "&speed=10&bearing=90&altitude=34&accuracy=5&batt=87"))
                .GET());

    assertThat(response.statusCode()).isEqualTo(200);
    VehiclePing ping = pingRecordedAt(Instant.ofEpochSecond(timestamp));
    assertThat(ping.vehicleId()).isEqualTo(VEHICLE);
    assertThat(ping.protocol()).isEqualTo("osmand");
    assertThat(ping.speedKmh()).isCloseTo(18.52, within(1e-9));
    assertThat(ping.headingDeg()).isEqualTo(90);
    assertThat(ping.attributes()).containsEntry("batt", 87);
  }

  @Test
  void aFormPostAndANewerClientJsonPostAreStoredToo() throws Exception {
    Instant formTime =
        Instant.now().minusSeconds(40).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    HttpResponse<String> form =
        send(
            HttpRequest.newBuilder(URI.create(osmand + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "deviceid=phone-42&location=52.1,13.1&timestamp="
                            + formTime.toEpochMilli())));
    Instant jsonTime =
        Instant.now().minusSeconds(50).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    HttpResponse<String> json =
        send(
            HttpRequest.newBuilder(URI.create(osmand + "/"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"device_id\":\"phone-42\",\"location\":{"
                            + "\"timestamp\":\""
                            + jsonTime
                            + "\",\"coords\":{\"latitude\":52.2,\"longitude\":13.2,"
                            + "\"speed\":5,\"heading\":-1},\"battery\":{\"level\":0.5}}}")));

    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(pingRecordedAt(formTime).latitude()).isEqualTo(52.1);
    VehiclePing fromJson = pingRecordedAt(jsonTime);
    assertThat(fromJson.speedKmh()).isCloseTo(18.0, within(1e-9));
    assertThat(fromJson.headingDeg()).isNull();
  }

  @Test
  void unknownDevicesAre404MalformedRequests400AndInvalidPingsGoToTheRejectedTopic()
      throws Exception {
    assertThat(get("/?id=nobody&lat=1&lon=2").statusCode()).isEqualTo(404);
    HttpResponse<String> malformed = get("/?id=phone-42&lat=north&lon=2");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("\"field\":\"lat\"");

    HttpResponse<String> outOfRange = get("/?id=phone-42&lat=91.5&lon=2");
    assertThat(outOfRange.statusCode())
        .as("durable in the rejected topic, so acknowledged")
        .isEqualTo(200);
    assertThat(outOfRange.body()).contains("latitude_out_of_range");
    ConsumerRecord<String, byte[]> rejected =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("lat=91.5"),
                1)
            .get(0);
    assertThat(
            new String(
                rejected.headers().lastHeader(PingHeaders.PROTOCOL).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("osmand");
  }

  @Test
  void thePortsAreKeptApart() throws Exception {
    HttpResponse<String> osmandOnMainPort =
        send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + mainPort + "/?id=phone-42&lat=1&lon=2"))
                .GET());
    HttpResponse<String> apiOnOsmandPort =
        send(
            HttpRequest.newBuilder(URI.create(osmand + "/api/v1/pings"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertThat(osmandOnMainPort.statusCode()).isEqualTo(404);
    assertThat(apiOnOsmandPort.statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(osmand + pathAndQuery)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private VehiclePing pingRecordedAt(Instant recordedAt) {
    return topics.awaitPing(recordedAt);
  }
}
