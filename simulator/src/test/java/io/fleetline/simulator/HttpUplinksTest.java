package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fleetline.common.FleetlineJson;
import io.fleetline.simulator.truth.Answers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The HTTP JSON and OsmAnd uplinks against a real HTTP server playing ingest. */
class HttpUplinksTest {

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger unauthorizedFirst = new AtomicInteger();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Retry retry = new Retry(Duration.ofSeconds(10));

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/pings", this::pings);
    server.createContext("/", this::osmand);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static Reading reading(int second) {
    return new Reading(
        Instant.parse("2026-11-26T08:00:00.250Z").plusSeconds(second),
        52.5212345678,
        13.4054321,
        37.04,
        181.26,
        34.44,
        4.97,
        12345.6789,
        true,
        false);
  }

  private void pings(HttpExchange e) throws IOException {
    String auth = e.getRequestHeaders().getFirst("Authorization");
    String body = new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(auth + " " + body);
    if (!auth.equals("Bearer good") || unauthorizedFirst.getAndDecrement() > 0) {
      answer(e, 401, "{\"title\":\"Unauthorized\"}");
      return;
    }
    JsonNode items = FleetlineJson.mapper().readTree(body);
    List<String> rejected = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).get("recordedAt").isNull()) {
        rejected.add("{\"index\":" + i + ",\"reason\":\"malformed\"}");
      } else if (items.get(i).get("latitude").doubleValue() > 90) {
        rejected.add("{\"index\":" + i + ",\"reason\":\"latitude_out_of_range\"}");
      }
    }
    answer(
        e,
        202,
        "{\"accepted\":"
            + (items.size() - rejected.size())
            + ",\"rejected\":["
            + String.join(",", rejected)
            + "]}");
  }

  private void osmand(HttpExchange e) throws IOException {
    String query = e.getRequestURI().getRawQuery();
    requests.add(query);
    if (query.contains("lat=north")) {
      answer(e, 400, "{\"title\":\"Malformed OsmAnd request\"}");
    } else if (query.startsWith("id=unknown-")) {
      answer(e, 404, "{\"title\":\"Unknown device\"}");
    } else if (unauthorizedFirst.getAndDecrement() > 0) {
      answer(e, 404, "{\"title\":\"Unknown device\"}"); // registration not seen yet
    } else if (query.contains("&speed=242.9806")) {
      answer(
          e,
          200,
          "{\"accepted\":0,\"rejected\":[{\"index\":0,\"reason\":\"speed_out_of_range\"}]}");
    } else {
      answer(e, 200, "{\"accepted\":1,\"rejected\":[]}");
    }
  }

  private static void answer(HttpExchange e, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    e.sendResponseHeaders(status, bytes.length);
    e.getResponseBody().write(bytes);
    e.close();
  }

  @Test
  void httpSendsABatchWithTheDeviceTokenAndReadsEachItemsResult() throws Exception {
    HttpUplink uplink = new HttpUplink(http, url(), retry);
    Device device = new Device("v1", Protocol.HTTP, "sim-x-1", "good");
    List<Outgoing> items =
        List.of(
            Outgoing.valid(reading(0)),
            new Outgoing(
                InvalidKind.LATITUDE_OUT_OF_RANGE.breakReading(reading(1), Instant.now()),
                InvalidKind.LATITUDE_OUT_OF_RANGE),
            new Outgoing(reading(2), InvalidKind.MALFORMED),
            new Outgoing(reading(3), InvalidKind.UNKNOWN_DEVICE),
            Outgoing.valid(reading(4)));

    List<Outcome> outcomes = uplink.send(device, items);

    assertThat(outcomes)
        .containsExactly(
            Outcome.accepted(),
            new Outcome(true, Answers.ITEM_REJECTED, "latitude_out_of_range"),
            new Outcome(true, Answers.ITEM_REJECTED, "malformed"),
            new Outcome(true, Answers.UNAUTHORIZED, null),
            Outcome.accepted());
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0)).startsWith("Bearer unknown-sim-x-1 {\"recordedAt\"");
    JsonNode batch =
        FleetlineJson.mapper().readTree(requests.get(1).substring("Bearer good ".length()));
    assertThat(batch).hasSize(4);
    assertThat(batch.get(0).get("recordedAt").stringValue()).isEqualTo("2026-11-26T08:00:00.250Z");
    assertThat(batch.get(0).get("latitude").doubleValue()).isEqualTo(52.5212346);
    assertThat(batch.get(0).get("speedKmh").doubleValue()).isEqualTo(37.0);
    assertThat(batch.get(0).get("odometerKm").doubleValue()).isEqualTo(12345.679);
    assertThat(uplink.carried(reading(0)).latitude()).isEqualTo(52.5212346);
  }

  @Test
  void httpResendsWhileIngestDoesNotKnowTheNewTokenYet() throws Exception {
    unauthorizedFirst.set(2);
    HttpUplink uplink = new HttpUplink(http, url(), retry);
    List<Outcome> outcomes =
        uplink.send(
            new Device("v1", Protocol.HTTP, "sim-x-1", "good"),
            List.of(Outgoing.valid(reading(0))));
    assertThat(outcomes).containsExactly(Outcome.accepted());
    assertThat(requests).hasSize(3);
  }

  @Test
  void osmandSendsOnePositionPerRequestInKnotsAndEpochMilliseconds() throws Exception {
    unauthorizedFirst.set(1);
    try (OsmandUplink uplink = new OsmandUplink(http, url(), retry)) {
      Device device = new Device("v2", Protocol.OSMAND, "sim-x-2", null);
      List<Outcome> outcomes =
          uplink.send(
              device,
              List.of(
                  Outgoing.valid(reading(0)),
                  new Outgoing(
                      InvalidKind.SPEED_OUT_OF_RANGE.breakReading(reading(1), Instant.now()),
                      InvalidKind.SPEED_OUT_OF_RANGE),
                  new Outgoing(reading(2), InvalidKind.MALFORMED),
                  new Outgoing(reading(3), InvalidKind.UNKNOWN_DEVICE)));

      assertThat(outcomes)
          .containsExactly(
              Outcome.accepted(),
              new Outcome(true, Answers.ITEM_REJECTED, "speed_out_of_range"),
              new Outcome(true, Answers.BAD_REQUEST, null),
              new Outcome(true, Answers.NOT_FOUND, null));
      String first =
          requests.stream()
              .filter(q -> q.contains("timestamp=1795680000250"))
              .findFirst()
              .orElseThrow();
      assertThat(first)
          .startsWith("id=sim-x-2&lat=52.5212346&lon=13.4054321&timestamp=1795680000250")
          .contains("&speed=20.0000&bearing=181.3&altitude=34.4&accuracy=5.0")
          .contains("&odometer=12345678.9&ignition=true&batt=");
      assertThat(uplink.carried(reading(0)).speedKmh()).isEqualTo(20.0 * OsmandUplink.KMH_PER_KNOT);
    }
  }
}
