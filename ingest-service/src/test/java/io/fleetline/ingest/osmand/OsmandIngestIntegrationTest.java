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
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
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

  @Autowired OsmandServer server;
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
    osmand = "http://127.0.0.1:" + server.port();
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
    assertThat(ping.measurements().speedKmh()).isCloseTo(18.52, within(1e-9));
    assertThat(ping.measurements().headingDeg()).isEqualTo(90);
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
    assertThat(pingRecordedAt(formTime).measurements().latitude()).isEqualTo(52.1);
    VehiclePing fromJson = pingRecordedAt(jsonTime);
    assertThat(fromJson.measurements().speedKmh()).isCloseTo(18.0, within(1e-9));
    assertThat(fromJson.measurements().headingDeg()).isNull();
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
  void nulInAParameterIsRejectedAsMalformedAndNotStored() throws Exception {
    long timestamp = Instant.now().minusSeconds(70).getEpochSecond();
    HttpResponse<String> response =
        get("/?id=phone-42&lat=48.2&lon=11.6&note=a%00b&timestamp=" + timestamp);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"accepted\":0")
        .contains("\"reason\":\"malformed\"")
        .contains("attributes.note");
    ConsumerRecord<String, byte[]> rejected =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r ->
                    new String(r.value(), StandardCharsets.UTF_8)
                        .contains("timestamp=" + timestamp),
                1)
            .get(0);
    assertThat(header(rejected, PingHeaders.REJECT_REASON)).isEqualTo("malformed");
  }

  @Test
  void aLargeFormParameterIsRejectedAsTooLargeKeepingOnlyAnExcerpt() throws Exception {
    String marker = "form-" + UUID.randomUUID();
    String form = "id=phone-42&lat=48.2&lon=11.6&marker=" + marker + "&note=" + "x".repeat(40_000);
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(osmand + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"reason\":\"attributes_too_large\"");
    ConsumerRecord<String, byte[]> rejected =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker),
                1)
            .get(0);
    assertThat(rejected.value()).hasSize(8192);
    assertThat(new String(rejected.value(), StandardCharsets.UTF_8))
        .as("the form as sent, not a map's text")
        .startsWith("id=phone-42&lat=48.2&lon=11.6&marker=" + marker + "&note=xxx");
    assertThat(Integer.parseInt(header(rejected, "fleetline-original-truncated")))
        .isGreaterThan(40_000);
  }

  @Test
  void aJsonUploadOfMorePositionsThanABatchMayHoldIs413() throws Exception {
    String one = "{\"coords\":{\"latitude\":52.1,\"longitude\":13.1}}";
    HttpResponse<String> response =
        postJson(
            "{\"device_id\":\"phone-42\",\"location\":["
                + String.join(",", Collections.nCopies(1001, one))
                + "]}");

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("At most 1000 pings per request, got 1001.");
  }

  @Test
  void eachInvalidBufferedPositionIsRejectedWithItsOwnTextNotTheWholeUpload() throws Exception {
    String marker = Double.toString(1000 + new java.util.Random().nextInt(1_000_000) / 1000.0);
    String invalid =
        "{\"coords\":{\"latitude\":95,\"longitude\":13.1,\"altitude\":" + marker + "}}";
    HttpResponse<String> response =
        postJson(
            "{\"device_id\":\"phone-42\",\"pad\":\""
                + "p".repeat(20_000)
                + "\",\"location\":["
                + String.join(",", Collections.nCopies(300, invalid))
                + "]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"accepted\":0");
    List<ConsumerRecord<String, byte[]>> rejected =
        topics.await(
            Topics.PINGS_REJECTED,
            r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"altitude\":" + marker),
            300);
    assertThat(rejected).hasSize(300).allSatisfy(r -> assertThat(r.value().length).isLessThan(200));
  }

  @Test
  void unreadableTimesAndLocationsAre400NamingTheField() throws Exception {
    HttpResponse<String> hugeEpoch =
        get("/?id=phone-42&lat=48.2&lon=11.6&timestamp=99999999999999999999");
    HttpResponse<String> nanLatitude = get("/?id=phone-42&lat=NaN&lon=11.6");
    HttpResponse<String> noLocations = postJson("{\"device_id\":\"phone-42\",\"location\":[]}");
    HttpResponse<String> emptyTime =
        postJson(
            "{\"device_id\":\"phone-42\",\"location\":{\"timestamp\":\"\","
                + "\"coords\":{\"latitude\":48.2,\"longitude\":11.6}}}");
    HttpResponse<String> notJson = postJson("{\"device_id\":\"phone-42\",\"location\":NaN}");

    assertThat(hugeEpoch.body()).contains("\"field\":\"timestamp\"");
    assertThat(nanLatitude.body()).contains("\"field\":\"lat\"");
    assertThat(noLocations.body()).contains("\"field\":\"location\"");
    assertThat(emptyTime.body()).contains("\"field\":\"location.timestamp\"");
    assertThat(List.of(hugeEpoch, nanLatitude, noLocations, emptyTime, notJson))
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).isEqualTo(400);
              assertThat(r.headers().firstValue("Content-Type"))
                  .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
              assertThat(r.body())
                  .doesNotContainIgnoringCase("jackson")
                  .doesNotContain("Exception")
                  .doesNotContain("`");
            });
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

  @Test
  void pipelinedRequestsAreEachAnsweredInOrder() throws Exception {
    Instant first = Instant.now().minusSeconds(50).truncatedTo(ChronoUnit.MILLIS);
    Instant second = first.plusSeconds(1);

    String answers =
        exchange(
            positionRequest(first, "")
                + positionRequest(second, "")
                + "GET /?id=nobody&lat=1&lon=2 HTTP/1.1\r\nHost: osmand\r\nConnection: close\r\n\r\n");

    assertThat(answers.split("HTTP/1.1 ", -1)).hasSize(4);
    assertThat(answers).matches("(?s)HTTP/1.1 200 .*HTTP/1.1 200 .*HTTP/1.1 404 .*");
    assertThat(pingRecordedAt(first).recordedAt()).isEqualTo(first);
    assertThat(pingRecordedAt(second).recordedAt()).isEqualTo(second);
  }

  @Test
  void aBrokenChunkIsAnswered400AndNothingOfItIsStored() throws Exception {
    String answer =
        exchange(
            "POST / HTTP/1.1\r\nHost: osmand\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + "8\r\nid=phone\r\nzz\r\n-42&lat=1&lon=2\r\n0\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json");
  }

  @Test
  void aQueryPairThatIsNotPercentEncodingIsLeftOutAndThePositionKept() throws Exception {
    Instant recordedAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);

    String answer = exchange(positionRequest(recordedAt, "&note=50%zz&batt=80"));

    assertThat(answer).startsWith("HTTP/1.1 200");
    VehiclePing ping = pingRecordedAt(recordedAt);
    assertThat(ping.attributes()).containsEntry("batt", 80).doesNotContainKey("note");
  }

  @Test
  void anAbsoluteFormRequestTargetIsServedLikeItsPath() throws Exception {
    Instant recordedAt = Instant.now().minusSeconds(70).truncatedTo(ChronoUnit.MILLIS);

    String answer =
        exchange(
            positionRequest(recordedAt, "")
                .replace("GET /?", "GET http://osmand.example:5055/?")
                .replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));

    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(pingRecordedAt(recordedAt).recordedAt()).isEqualTo(recordedAt);
  }

  private static String positionRequest(Instant recordedAt, String extra) {
    return "GET /?id=phone-42&lat=52.5&lon=13.4&timestamp="
        + recordedAt.toEpochMilli()
        + extra
        + " HTTP/1.1\r\nHost: osmand\r\n\r\n";
  }

  /** Writes raw bytes to the port and reads until the server closes (or 30 s pass). */
  private String exchange(String requests) throws Exception {
    String text =
        requests.endsWith("Connection: close\r\n\r\n") || !requests.startsWith("GET")
            ? requests
            : requests.substring(0, requests.length() - 2) + "Connection: close\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private HttpResponse<String> postJson(String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(osmand + "/"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
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
