package io.fleetline.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.json.PingJson;
import io.fleetline.ingest.osmand.OsmandParsing;
import io.fleetline.ingest.testing.MosquittoBroker;
import io.fleetline.ingest.validation.PingCandidate;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.Rejection;
import io.fleetline.ingest.validation.ValidationProperties;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Just enough of Fleetline for the simulator to run against in tests: fleet-api's token and vehicle
 * registration, ingest's HTTP JSON and OsmAnd endpoints (deciding with ingest's own decoders and
 * validator), and a Teltonika listener; MQTT goes to a real Mosquitto, which learns each MQTT
 * device's token at registration as ingest's password file would tell it.
 */
final class StubPlatform implements AutoCloseable {

  final HttpServer api;
  final HttpServer osmand;
  final TeltonikaUplinkTest.TeltonikaServer teltonika;
  final Map<String, String> tokens = new ConcurrentHashMap<>(); // token -> vehicle id
  final Map<String, String> identifiers = new ConcurrentHashMap<>(); // identifier -> vehicle id

  /** Pings ingest accepted, per vehicle id. */
  final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();

  final PingValidator validator = new PingValidator(ValidationProperties.defaults());

  private final MosquittoBroker mosquitto;

  StubPlatform(MosquittoBroker mosquitto) throws IOException {
    this.mosquitto = mosquitto;
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.setExecutor(Executors.newFixedThreadPool(8));
    api.createContext("/oauth2/token", e -> answer(e, 200, Map.of("access_token", "jwt")));
    api.createContext("/api/v1/vehicles", this::register);
    api.createContext("/api/v1/pings", this::pings);
    api.start();
    osmand = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    osmand.setExecutor(Executors.newFixedThreadPool(8));
    osmand.createContext("/", this::osmand);
    osmand.start();
    teltonika = new TeltonikaUplinkTest.TeltonikaServer(ConcurrentHashMap.newKeySet());
  }

  Map<String, String> settings(String mqttUrl) {
    String apiUrl = "http://127.0.0.1:" + api.getAddress().getPort();
    return Map.of(
        "FLEETLINE_API_URL",
        apiUrl,
        "FLEETLINE_INGEST_URL",
        apiUrl,
        "FLEETLINE_OSMAND_URL",
        "http://127.0.0.1:" + osmand.getAddress().getPort(),
        "FLEETLINE_TELTONIKA_ADDR",
        "127.0.0.1:" + teltonika.port(),
        "FLEETLINE_MQTT_URL",
        mqttUrl,
        "FLEETLINE_DEMO_CLIENT_ID",
        "client",
        "FLEETLINE_DEMO_CLIENT_SECRET",
        "secret");
  }

  int accepted(String vehicleId) {
    AtomicInteger n = accepted.get(vehicleId);
    return n == null ? 0 : n.get();
  }

  private void register(HttpExchange e) throws IOException {
    JsonNode body = FleetlineJson.mapper().readTree(e.getRequestBody().readAllBytes());
    JsonNode device = body.get("devices").get(0);
    String vehicleId = UUID.randomUUID().toString();
    String protocol = device.get("protocol").stringValue();
    String identifier = device.get("identifier").stringValue();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", vehicleId);
    view.put("protocol", protocol);
    view.put("identifier", identifier);
    if (protocol.equals("http")) {
      String token = "tok-" + UUID.randomUUID();
      tokens.put(token, vehicleId);
      view.put("token", token);
    } else if (protocol.equals("mqtt")) {
      String token = "tok-" + UUID.randomUUID();
      mosquitto.addAccount(identifier, token);
      view.put("token", token);
    } else if (protocol.equals("teltonika")) {
      teltonika.known.add(identifier);
    }
    identifiers.put(identifier, vehicleId);
    answer(e, 201, Map.of("id", vehicleId, "devices", List.of(view)));
  }

  private void pings(HttpExchange e) throws IOException {
    String auth = e.getRequestHeaders().getFirst("Authorization");
    String vehicleId = auth == null ? null : tokens.get(auth.substring("Bearer ".length()));
    if (vehicleId == null) {
      answer(e, 401, Map.of("title", "Unauthorized"));
      return;
    }
    List<DecodedPing> items;
    try {
      items = PingJson.decode(e.getRequestBody().readAllBytes(), 1000);
    } catch (PingJson.MalformedBodyException ex) {
      answer(e, 400, Map.of("title", "Malformed"));
      return;
    }
    List<Map<String, Object>> rejected = new ArrayList<>();
    int ok = 0;
    for (DecodedPing item : items) {
      Rejection rejection =
          item.malformed() != null
              ? item.malformed()
              : validator.validate(item.candidate()).orElse(null);
      if (rejection == null) {
        ok++;
      } else {
        rejected.add(Map.of("index", item.index(), "reason", rejection.reason()));
      }
    }
    accepted.computeIfAbsent(vehicleId, k -> new AtomicInteger()).addAndGet(ok);
    answer(e, ok == 0 ? 400 : 202, Map.of("accepted", ok, "rejected", rejected));
  }

  private void osmand(HttpExchange e) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : e.getRequestURI().getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      params.putIfAbsent(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    Map.Entry<String, PingCandidate> ping;
    try {
      ping = OsmandParsing.parse(params);
    } catch (IllegalArgumentException ex) {
      answer(e, 400, Map.of("title", "Malformed OsmAnd request"));
      return;
    }
    String vehicleId = identifiers.get(ping.getKey());
    if (vehicleId == null) {
      answer(e, 404, Map.of("title", "Unknown device"));
      return;
    }
    Rejection rejection = validator.validate(ping.getValue()).orElse(null);
    if (rejection == null) {
      accepted.computeIfAbsent(vehicleId, k -> new AtomicInteger()).incrementAndGet();
    }
    answer(
        e,
        200,
        Map.of(
            "accepted",
            rejection == null ? 1 : 0,
            "rejected",
            rejection == null
                ? List.of()
                : List.of(Map.of("index", 0, "reason", rejection.reason()))));
  }

  private static void answer(HttpExchange e, int status, Object body) throws IOException {
    byte[] json = FleetlineJson.write(body);
    e.getResponseHeaders().add("Content-Type", "application/json");
    e.sendResponseHeaders(status, json.length);
    e.getResponseBody().write(json);
    e.close();
  }

  @Override
  public void close() throws IOException {
    api.stop(0);
    osmand.stop(0);
    teltonika.close();
  }
}
