package io.fleetline.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.registry.DeviceRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** The HTTP JSON protocol against the real Kafka broker (KRaft), from device token to topic. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.ingest.topics.ping-partitions=2"
    })
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpPingIngestIntegrationTest {

  static final String TOKEN = DeviceTokens.newToken();
  static final String DISABLED_TOKEN = DeviceTokens.newToken();
  static final UUID VEHICLE = UUID.randomUUID();
  static final UUID FLEET = UUID.randomUUID();

  @LocalServerPort int port;

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Autowired DeviceRegistry registry;

  final HttpClient http = HttpClient.newHttpClient();
  KafkaTopics topics;

  @BeforeAll
  void registerDevices() throws Exception {
    topics = new KafkaTopics(brokers);
    topics.register(
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            VEHICLE,
            FLEET,
            DeviceProtocol.HTTP,
            "van-1",
            DeviceTokens.sha256Hex(TOKEN),
            true),
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            UUID.randomUUID(),
            FLEET,
            DeviceProtocol.HTTP,
            "van-2",
            DeviceTokens.sha256Hex(DISABLED_TOKEN),
            false));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry.findByToken(TOKEN).isPresent()
                    && registry.findByToken(DISABLED_TOKEN).isPresent());
  }

  @Test
  void aValidPingIsAcknowledgedOnlyOnceItIsInThePingsTopicKeyedByVehicle() throws Exception {
    Instant recordedAt = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
    String body = ping(recordedAt, 52.52, 13.405);

    HttpResponse<String> response = post(body.getBytes(StandardCharsets.UTF_8), TOKEN, false);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).contains("\"accepted\":1").contains("\"rejected\":[]");
    ConsumerRecord<String, byte[]> record = findPing(recordedAt);
    assertThat(record.key()).isEqualTo(VEHICLE.toString());
    VehiclePing ping = FleetlineJson.read(record.value(), VehiclePing.class);
    assertThat(ping.fleetId()).isEqualTo(FLEET);
    assertThat(ping.protocol()).isEqualTo("http");
    assertThat(ping.measurements().speedKmh()).isEqualTo(42.5);
    assertThat(ping.receivedAt()).isAfterOrEqualTo(recordedAt);
    assertThat(
            new String(
                record.headers().lastHeader(PingHeaders.PROTOCOL).value(), StandardCharsets.UTF_8))
        .isEqualTo("http");
  }

  @Test
  void aGzippedBatchGetsPerItemResultsAndInvalidItemsGoToTheRejectedTopic() throws Exception {
    Instant t = Instant.now().minusSeconds(60);
    String batch =
        "["
            + ping(t, 52.5, 13.4)
            + ","
            + ping(t.plusSeconds(1), 95, 13.4)
            + ","
            + "{\"latitude\":1}"
            + ","
            + ping(t.plusSeconds(2), 52.6, 13.5)
            + "]";

    HttpResponse<String> response = post(gzip(batch), TOKEN, true);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body())
        .contains("\"accepted\":2")
        .contains("\"index\":1,\"reason\":\"latitude_out_of_range\"")
        .contains("\"index\":2,\"reason\":\"malformed\"");
    List<ConsumerRecord<String, byte[]>> rejected =
        topics.await(
            Topics.PINGS_REJECTED,
            r -> new String(r.value(), StandardCharsets.UTF_8).contains("95"),
            1);
    assertThat(
            new String(
                rejected.get(0).headers().lastHeader(PingHeaders.REJECT_REASON).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("latitude_out_of_range");
  }

  @Test
  void whenNoPingIsValidTheAnswerIs400ProblemWithTheReasons() throws Exception {
    HttpResponse<String> response =
        post(ping(Instant.now(), 0, 0).getBytes(StandardCharsets.UTF_8), TOKEN, false);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(response.body()).contains("null_island");
  }

  @Test
  void unknownOrMissingTokensAre401AndDisabledDevices403() throws Exception {
    byte[] body = ping(Instant.now(), 52, 13).getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> unknown = post(body, "fld_not-a-token", false);
    HttpResponse<String> missing = post(body, null, false);
    HttpResponse<String> disabled = post(body, DISABLED_TOKEN, false);

    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(disabled.statusCode()).isEqualTo(403);
  }

  @Test
  void brokenBodiesAre400AndOversizedOnes413() throws Exception {
    assertThat(post("{not json".getBytes(StandardCharsets.UTF_8), TOKEN, false).statusCode())
        .isEqualTo(400);
    assertThat(post("[]".getBytes(StandardCharsets.UTF_8), TOKEN, false).statusCode())
        .isEqualTo(400);
    StringBuilder tooMany = new StringBuilder("[");
    for (int i = 0; i < 1001; i++) {
      tooMany.append(i == 0 ? "" : ",").append(ping(Instant.now(), 52, 13));
    }
    tooMany.append(']');
    assertThat(post(tooMany.toString().getBytes(StandardCharsets.UTF_8), TOKEN, false).statusCode())
        .isEqualTo(413);
    byte[] huge = ("[\"" + "x".repeat(5_000_000) + "\"]").getBytes(StandardCharsets.UTF_8);
    assertThat(post(huge, TOKEN, false).statusCode()).isEqualTo(413);
  }

  @Test
  void aMegabyteAttributeIsRejectedAloneWithAnExcerptAndTheRestOfTheBatchIsStored()
      throws Exception {
    Instant t = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS);
    String marker = "blob-" + UUID.randomUUID();
    String huge =
        "{\"recordedAt\":\""
            + t.plusSeconds(1)
            + "\",\"latitude\":52.5,\"longitude\":13.4,\"attributes\":{\"blob\":\""
            + marker
            + "x".repeat(1_500_000)
            + "\"}}";
    String batch =
        "[" + ping(t, 52.5, 13.4) + "," + huge + "," + ping(t.plusSeconds(2), 52.6, 13.5) + "]";

    HttpResponse<String> response = post(batch.getBytes(StandardCharsets.UTF_8), TOKEN, false);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body())
        .contains("\"accepted\":2")
        .contains("\"index\":1,\"reason\":\"attributes_too_large\"");
    ConsumerRecord<String, byte[]> rejected =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker),
                1)
            .get(0);
    assertThat(rejected.value()).hasSize(8192);
    assertThat(header(rejected, "fleetline-original-truncated"))
        .isEqualTo(Integer.toString(huge.length()));
    assertThat(header(rejected, PingHeaders.REJECT_REASON)).isEqualTo("attributes_too_large");
    assertThat(findPing(t).key()).isEqualTo(VEHICLE.toString());
    assertThat(findPing(t.plusSeconds(2)).key()).isEqualTo(VEHICLE.toString());
  }

  @Test
  void nulOrALoneSurrogateInAnAttributeIsRejectedAsMalformedNamingTheField() throws Exception {
    Instant t = Instant.now().minusSeconds(180).truncatedTo(ChronoUnit.MILLIS);
    String marker = "nul-" + UUID.randomUUID();
    String withNul =
        "{\"recordedAt\":\""
            + t.plusSeconds(1)
            + "\",\"latitude\":52.5,\"longitude\":13.4,\"attributes\":{\"tag\":\""
            + marker
            + "\",\"note\":\"a\\u0000b\"}}";
    String withSurrogate =
        "{\"recordedAt\":\""
            + t.plusSeconds(2)
            + "\",\"latitude\":52.5,\"longitude\":13.4,"
            + "\"attributes\":{\"trip\":{\"stops\":[\"ok\",\"\\ud800\"]}}}";
    String batch = "[" + ping(t, 52.5, 13.4) + "," + withNul + "," + withSurrogate + "]";

    HttpResponse<String> response = post(batch.getBytes(StandardCharsets.UTF_8), TOKEN, false);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body())
        .contains("\"accepted\":1")
        .contains("\"index\":1,\"reason\":\"malformed\",\"detail\":\"attributes.note ")
        .contains("\"index\":2,\"reason\":\"malformed\",\"detail\":\"attributes.trip.stops[1] ");
    ConsumerRecord<String, byte[]> rejected =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker),
                1)
            .get(0);
    assertThat(header(rejected, PingHeaders.REJECT_REASON)).isEqualTo("malformed");
    assertThat(findPing(t).key()).isEqualTo(VEHICLE.toString());
  }

  @Test
  void unreadableValuesAreNamedWithoutTheParsersWords() throws Exception {
    HttpResponse<String> emptyTime =
        post(
            "{\"recordedAt\":\"\",\"latitude\":1,\"longitude\":2}".getBytes(StandardCharsets.UTF_8),
            TOKEN,
            false);
    HttpResponse<String> tooDeep =
        post(
            ("[" + "[".repeat(3000) + "]".repeat(3000) + "]").getBytes(StandardCharsets.UTF_8),
            TOKEN,
            false);
    HttpResponse<String> wrongTypes =
        post(
            "{\"recordedAt\":[],\"latitude\":{},\"longitude\":2,\"attributes\":[1e400]}"
                .getBytes(StandardCharsets.UTF_8),
            TOKEN,
            false);

    assertThat(emptyTime.statusCode()).isEqualTo(400);
    assertThat(emptyTime.body()).contains("recordedAt must be ISO-8601");
    assertThat(tooDeep.statusCode()).isEqualTo(400);
    assertThat(tooDeep.body()).contains("nests too deeply").doesNotContain("StreamReadConstraints");
    assertThat(wrongTypes.statusCode()).isEqualTo(400);
    assertThat(wrongTypes.body()).contains("recordedAt must be an ISO-8601 string");
    assertThat(List.of(emptyTime.body(), tooDeep.body(), wrongTypes.body()))
        .allSatisfy(
            body -> assertThat(body).doesNotContainIgnoringCase("jackson").doesNotContain("`"));
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  static String ping(Instant recordedAt, double lat, double lon) {
    return "{\"recordedAt\":\""
        + recordedAt
        + "\",\"latitude\":"
        + lat
        + ",\"longitude\":"
        + lon
        + ",\"speedKmh\":42.5,\"headingDeg\":90}";
  }

  private HttpResponse<String> post(byte[] body, String token, boolean gzip) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/pings"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private ConsumerRecord<String, byte[]> findPing(Instant recordedAt) {
    return topics
        .await(
            Topics.PINGS,
            r -> FleetlineJson.read(r.value(), VehiclePing.class).recordedAt().equals(recordedAt),
            1)
        .get(0);
  }
}
