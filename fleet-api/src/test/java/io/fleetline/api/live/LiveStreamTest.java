package io.fleetline.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

/** The live stream: Kafka records fanned out per fleet as server-sent events, resumable. */
class LiveStreamTest extends FleetApiTest {

  @Autowired LiveFeedConsumer feed;
  @Autowired LiveHub hub;
  @Autowired KafkaTemplate<String, byte[]> kafka;

  final HttpClient http = HttpClient.newHttpClient();
  final List<Stream<String>> open = new CopyOnWriteArrayList<>();
  String vehicle;
  String foreignVehicle;

  @BeforeAll
  void ready() throws Exception {
    vehicle = createVehicle(fleetToken, "Live");
    foreignVehicle = createVehicle(otherFleetToken, "Live elsewhere");
    await().atMost(Duration.ofSeconds(60)).until(feed::assigned);
  }

  @AfterEach
  void closeStreams() {
    open.forEach(Stream::close);
  }

  @Test
  void positionsAndEventsOfTheCallersFleetArriveAndOthersDoNot() throws Exception {
    List<String> lines = connect(readOnlyToken, null, 1);

    ping(foreignVehicle, otherFleetId, 1.0);
    ping(vehicle, fleetId, 52.52);
    event(fleetId, vehicle);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(lines)
                    .contains("event:position", "event:event")
                    .anyMatch(l -> l.startsWith("data:") && l.contains(vehicle)));
    assertThat(lines).noneMatch(l -> l.contains(foreignVehicle));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("data:") && l.contains("\"latitude\":52.52"))
        .anyMatch(l -> l.contains("\"recordedAt\":\"2026-11-26T08:00:00.000Z\""));
  }

  @Test
  void aClientResumesAfterItsLastEventIdAndAnUnknownIdAsksForAReset() throws Exception {
    List<String> first = connect(fleetToken, null, 1);
    ping(vehicle, fleetId, 10.0);
    await().atMost(Duration.ofSeconds(30)).until(() -> first.contains("event:position"));
    String firstId =
        first.stream().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3);
    open.forEach(Stream::close);
    ping(vehicle, fleetId, 11.0);
    ping(vehicle, fleetId, 12.0);

    List<String> resumed = connect(fleetToken, firstId, 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(resumed)
                    .anyMatch(l -> l.contains("\"latitude\":11.0"))
                    .anyMatch(l -> l.contains("\"latitude\":12.0")));
    assertThat(resumed).noneMatch(l -> l.contains("\"latitude\":10.0"));

    List<String> stranger = connect(fleetToken, "someone-else-42", 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> stranger.contains("event:reset"));
  }

  @Test
  void theStreamNeedsATokenWithReadScope() throws Exception {
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/live")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  private List<String> connect(String token, String lastEventId, int expectedSubscribers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/live"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<String> lines = new CopyOnWriteArrayList<>();
    Stream<String> body = response.body();
    open.add(body);
    Thread reader =
        new Thread(
            () -> {
              try {
                body.forEach(l -> lines.add(l.replace("event: ", "event:").replace("id: ", "id:")));
              } catch (RuntimeException e) {
                // closed by the test
              }
            });
    reader.setDaemon(true);
    reader.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> hub.subscribers(UUID.fromString(fleetIdOf(token))) >= expectedSubscribers);
    return lines;
  }

  private String fleetIdOf(String token) {
    return token.equals(otherFleetToken) ? otherFleetId : fleetId;
  }

  private void ping(String vehicleId, String fleet, double latitude) throws Exception {
    VehiclePing ping =
        new VehiclePing(
            VehiclePing.CURRENT_VERSION,
            UUID.fromString(vehicleId),
            UUID.fromString(fleet),
            UUID.randomUUID(),
            "http",
            Instant.parse("2026-11-26T08:00:00Z"),
            Instant.parse("2026-11-26T08:00:01Z"),
            latitude,
            13.4,
            42.0,
            null,
            null,
            null,
            null,
            true,
            Map.of());
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.PINGS, vehicleId, FleetlineJson.write(ping));
    record.headers().add(PingHeaders.FLEET_ID, fleet.getBytes(StandardCharsets.UTF_8));
    kafka.send(record).get();
  }

  private void event(String fleet, String vehicleId) throws Exception {
    String json =
        "{\"type\":\"overspeed\",\"fleetId\":\""
            + fleet
            + "\",\"vehicleId\":\""
            + vehicleId
            + "\",\"occurredAt\":\"2026-11-26T08:00:00.000Z\"}";
    kafka.send(Topics.EVENTS, vehicleId, json.getBytes(StandardCharsets.UTF_8)).get();
  }
}
