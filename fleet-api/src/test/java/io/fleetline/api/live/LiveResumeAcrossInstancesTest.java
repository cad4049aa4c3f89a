package io.fleetline.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.FleetApiApplication;
import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Measurements;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two fleet-api instances on the same Kafka and database: a client that read the live stream from
 * one and reconnects to the other with its {@code Last-Event-ID} gets exactly what it missed, read
 * back from Kafka by the instance that never served it, then the stream goes on.
 */
class LiveResumeAcrossInstancesTest extends FleetApiTest {

  @Autowired LiveHub hub;
  @Autowired LiveFeedConsumer feed;
  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired Environment environment;

  final HttpClient http = HttpClient.newHttpClient();
  final List<Stream<String>> open = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeStreams() {
    open.forEach(Stream::close);
  }

  @Test
  void aClientReconnectingToAnotherInstanceGetsExactlyWhatItMissedThenTheLiveStream()
      throws Exception {
    String vehicle = createVehicle(fleetToken, "Resumed elsewhere");
    String foreignVehicle = createVehicle(otherFleetToken, "Not resumed");
    JsonNode client = createClient(fleetId, "fleet.read");
    String clientId = client.get("clientId").stringValue();
    String secret = client.get("clientSecret").stringValue();
    await().atMost(Duration.ofSeconds(60)).until(feed::assigned);

    try (ConfigurableApplicationContext second = secondInstance()) {
      int secondPort = second.getEnvironment().getProperty("local.server.port", Integer.class);
      LiveHub secondHub = second.getBean(LiveHub.class);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(second.getBean(LiveFeedConsumer.class)::assigned);

      List<String> first = connect(port, api.token(clientId, secret, "fleet.read"), null, hub);
      ping(vehicle, fleetId, 1.0);
      await().atMost(Duration.ofSeconds(30)).until(() -> latitudes(first).contains("1.0"));
      String lastEventId =
          first.stream().filter(l -> l.startsWith("id:")).reduce((a, b) -> b).orElseThrow();
      open.forEach(Stream::close);

      ping(vehicle, fleetId, 2.0);
      event(fleetId, vehicle);
      ping(foreignVehicle, otherFleetId, 9.0);
      ping(vehicle, fleetId, 3.0);

      String secondToken =
          new ApiClient("http://127.0.0.1:" + secondPort).token(clientId, secret, "fleet.read");
      List<String> resumed = connect(secondPort, secondToken, lastEventId.substring(3), secondHub);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(latitudes(resumed)).containsExactly("2.0", "3.0"));
      ping(vehicle, fleetId, 4.0);

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(latitudes(resumed)).containsExactly("2.0", "3.0", "4.0"));
      assertThat(resumed).filteredOn(l -> l.contains("\"type\":\"overspeed\"")).hasSize(1);
      assertThat(resumed).noneMatch(l -> l.equals("event:reset"));
      assertThat(resumed).noneMatch(l -> l.contains(foreignVehicle));
      // Every message names where the stream stands, so the client can move on once more.
      assertThat(resumed.stream().filter(l -> l.startsWith("id:k"))).hasSize(4);
    }
  }

  private UUID fleet() {
    return UUID.fromString(fleetId);
  }

  /** fleet-api once more, on the same database and broker, with its own signing key. */
  private ConfigurableApplicationContext secondInstance() {
    return new SpringApplicationBuilder(FleetApiApplication.class)
        .run(
            "--server.port=0",
            "--spring.kafka.bootstrap-servers=" + brokers,
            "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
            "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
            "--spring.datasource.password=" + environment.getProperty("spring.datasource.password"),
            "--fleetline.auth.generate-signing-key=true",
            "--fleetline.auth.issuer=http://fleetline.test",
            "--fleetline.auth.admin-client-id=test-admin",
            "--fleetline.auth.admin-client-secret=" + ADMIN_SECRET,
            "--fleetline.api.rate-limit.requests-per-second=100000");
  }

  /** The positions' latitudes among the data lines, in the order they came. */
  private static List<String> latitudes(List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("data:") && l.contains("\"latitude\":"))
        .map(l -> l.replaceAll(".*\"latitude\":([0-9.]+).*", "$1"))
        .toList();
  }

  private List<String> connect(int onPort, String token, String lastEventId, LiveHub on)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + onPort + "/api/v1/live"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
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
    await().atMost(Duration.ofSeconds(10)).until(() -> on.subscribers(fleet()) >= 1);
    return lines;
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
            new Measurements(latitude, 13.4, 42.0, null, null, null, null, true),
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
