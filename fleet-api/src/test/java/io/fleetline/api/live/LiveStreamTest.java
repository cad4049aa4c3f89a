package io.fleetline.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Measurements;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

/** The live stream: Kafka records fanned out per fleet as server-sent events, resumable. */
class LiveStreamTest extends FleetApiTest {

  @Autowired LiveFeedConsumer feed;
  @Autowired LiveHub hub;
  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired MeterRegistry meters;
  @Autowired LiveProperties properties;

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
  void pingsAreNotFetchedWhileNobodyListens() throws Exception {
    nobodyListens();

    assertPingsAreNotFetched();
    assertThat(meters.get("fleetline.live.pings.paused").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void aClientConnectingAfterASilenceGetsNewPingsButNoneFromTheSilence() throws Exception {
    nobodyListens();
    double pingsBefore = read(Topics.PINGS);
    for (int i = 1; i <= 5; i++) {
      ping(vehicle, fleetId, 61.0 + i / 10.0);
    }

    List<String> lines = connect(readOnlyToken, null, 1);
    assertThat(feed.pingsPaused()).as("the stream opens once pings are read").isFalse();
    ping(vehicle, fleetId, 62.5);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(lines).anyMatch(l -> l.contains("\"latitude\":62.5")));
    assertThat(lines).noneMatch(l -> l.contains("\"latitude\":61."));
    assertThat(read(Topics.PINGS) - pingsBefore)
        .as("the pings published while nobody listened were skipped, not fetched")
        .isEqualTo(1.0);
    assertThat(meters.get("fleetline.live.pings.paused").gauge().value()).isZero();
  }

  @Test
  void pingsStopBeingFetchedOnceTheLastClientLeftAndItsReplayBufferIsDropped() throws Exception {
    UUID fleet = UUID.fromString(fleetId);
    List<String> lines = connect(readOnlyToken, null, 1);
    ping(vehicle, fleetId, 63.0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> lines.stream().anyMatch(l -> l.contains("\"latitude\":63.0")));
    open.forEach(Stream::close);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              hub.heartbeat(); // a write is how the service learns that the client left
              assertThat(hub.subscribers(fleet)).isZero();
            });

    // Within the retention the fleet's replay buffer is kept for a client that resumes.
    hub.forgetIdleFleets(Instant.now());
    assertThat(hub.listening(fleet)).isTrue();
    double pingsBefore = read(Topics.PINGS);
    ping(vehicle, fleetId, 64.0);
    await().atMost(Duration.ofSeconds(30)).until(() -> read(Topics.PINGS) > pingsBefore);

    nobodyListens();
    assertPingsAreNotFetched();
  }

  @Test
  void theStreamNeedsATokenWithReadScope() throws Exception {
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/live")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void aClientWithAllItsStreamsOpenIsRefusedWith429UntilOneCloses() throws Exception {
    String token = clientToken(fleetId, "fleet.read");
    List<HttpResponse<Stream<String>>> streams = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HttpResponse<Stream<String>> stream = open(token);
      assertThat(stream.statusCode()).as("stream " + i).isEqualTo(200);
      streams.add(stream);
    }

    HttpResponse<Stream<String>> refused = open(token);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(refused.body().collect(Collectors.joining())).contains("too-many-streams");
    assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()))
        .isPositive();
    assertThat(open(readOnlyToken).statusCode()).as("another client of the fleet").isEqualTo(200);

    streams.get(0).body().close();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              hub.heartbeat(); // a write is how the service learns that the client left
              assertThat(open(token).statusCode()).isEqualTo(200);
            });
  }

  @Test
  void aFleetWithAllItsStreamsOpenIsRefusedWith429() throws Exception {
    String fleet = createFleet("Live crowd");
    for (int client = 0; client < 10; client++) {
      String token = clientToken(fleet, "fleet.read");
      for (int i = 0; i < 10; i++) {
        assertThat(open(token).statusCode()).as("client " + client + " stream " + i).isEqualTo(200);
      }
    }

    HttpResponse<Stream<String>> refused = open(clientToken(fleet, "fleet.read"));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(hub.subscribers(UUID.fromString(fleet))).isEqualTo(100);
  }

  @Test
  void aReaderThatStopsReadingIsDroppedOnceItsQueueIsFullInsteadOfBuffered() throws Exception {
    String fleet = createFleet("Live stall");
    UUID fleetUuid = UUID.fromString(fleet);
    String token = clientToken(fleet, "fleet.read");
    long droppedBefore = hub.dropped();
    try (Socket stalled = new Socket("127.0.0.1", port)) {
      stalled
          .getOutputStream()
          .write(
              ("GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                      + "Authorization: Bearer "
                      + token
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers(fleetUuid) == 1);
      String data = "{\"filler\":\"" + "x".repeat(16 * 1024) + "\"}";

      // Never reading: the socket buffers fill, then the stream's queue, then it is dropped.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (int i = 0; i < 200; i++) {
                  hub.publish(fleetUuid, "position", data, true, 0, i);
                }
                assertThat(hub.subscribers(fleetUuid)).isZero();
              });
    }
    assertThat(hub.dropped()).isGreaterThan(droppedBefore);
    assertThat(meters.get("fleetline.live.streams.dropped").functionCounter().count())
        .isEqualTo(hub.dropped());
  }

  @Test
  void readersThatStopReadingHoldUpNoOtherFleetAndKeepTheirSlotsUntilTheirConnectionsEnd()
      throws Exception {
    UUID stallingFleet = UUID.fromString(createFleet("Live stalling client"));
    JsonNode client = createClient(stallingFleet.toString(), "fleet.read");
    String clientId = client.get("clientId").stringValue();
    String token = api.token(clientId, client.get("clientSecret").stringValue(), "fleet.read");
    List<String> elsewhere = connect(fleetToken, null, 1);
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        stalled.add(stalledStream(token));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers(stallingFleet) == 10);
      String data = "{\"filler\":\"" + "x".repeat(16 * 1024) + "\"}";

      // Each stream's socket buffers fill, its send blocks, its queue overflows: it is dropped.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (int i = 0; i < 200; i++) {
                  hub.publish(stallingFleet, "position", data, true, 0, i);
                }
                assertThat(hub.subscribers(stallingFleet)).isZero();
              });
      assertThat(hub.streamsOf(clientId))
          .as("dropped streams keep their slots while their connections last")
          .isEqualTo(10);

      String marker = UUID.randomUUID().toString();
      hub.publish(
          UUID.fromString(fleetId), "position", "{\"marker\":\"" + marker + "\"}", true, 0, 0);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> elsewhere.stream().anyMatch(l -> l.contains(marker)));
      assertThat(hub.streamsOf(clientId))
          .as("another fleet's stream is served while every stalled send still blocks")
          .isEqualTo(10);
    } finally {
      for (Socket socket : stalled) {
        socket.setSoLinger(true, 0); // reset: the blocked sends fail at once
        socket.close();
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> hub.streamsOf(clientId) == 0);
  }

  /** Ends every stream and lets the retention of every replay buffer pass: pings are paused. */
  private void nobodyListens() {
    open.forEach(Stream::close);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              hub.heartbeat(); // a write is how the service learns that a client left
              hub.forgetIdleFleets(Instant.now().plus(properties.retention()).plusSeconds(1));
              assertThat(feed.pingsPaused()).isTrue();
            });
  }

  /** Publishes pings and then an event: once the event is read, so would the pings have been. */
  private void assertPingsAreNotFetched() throws Exception {
    double pingsBefore = read(Topics.PINGS);
    double eventsBefore = read(Topics.EVENTS);
    for (int i = 0; i < 20; i++) {
      ping(vehicle, fleetId, 60.0);
    }
    event(fleetId, vehicle);

    await().atMost(Duration.ofSeconds(30)).until(() -> read(Topics.EVENTS) > eventsBefore);
    assertThat(read(Topics.PINGS)).isEqualTo(pingsBefore);
  }

  /** Records of the topic that the live feed has read so far. */
  private double read(String topic) {
    return meters.get("fleetline.live.records.read").tag("topic", topic).functionCounter().count();
  }

  /** Opens a stream on a socket with a tiny receive buffer that is never read. */
  private Socket stalledStream(String token) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(1024);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket
        .getOutputStream()
        .write(
            ("GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer "
                    + token
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  private HttpResponse<Stream<String>> open(String token) throws Exception {
    HttpResponse<Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/live"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    open.add(response.body());
    return response;
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
