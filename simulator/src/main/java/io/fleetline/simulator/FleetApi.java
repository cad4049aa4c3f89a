package io.fleetline.simulator;

import io.fleetline.common.FleetlineJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;

/** The simulator's side of fleet-api: a client-credentials token and vehicle registration. */
final class FleetApi {

  /** A registered vehicle and the token of its HTTP device. */
  record Registered(String vehicleId, String identifier, String deviceToken) {}

  private final HttpClient http;
  private final String apiUrl;
  private final String token;

  private FleetApi(HttpClient http, String apiUrl, String token) {
    this.http = http;
    this.apiUrl = apiUrl;
    this.token = token;
  }

  static FleetApi connect(HttpClient http, SimulatorOptions options)
      throws IOException, InterruptedException {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (options.clientId() + ":" + options.clientSecret())
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(options.apiUrl() + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&scope=fleet.read%20fleet.write"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "token request failed with " + response.statusCode() + ": " + response.body());
    }
    String token = json(response.body()).get("access_token").stringValue();
    return new FleetApi(http, options.apiUrl(), token);
  }

  /** Registers the vehicles, several requests at a time, in identifier order. */
  List<Registered> register(List<String> identifiers, int parallel) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
    try {
      List<Future<Registered>> pending = new ArrayList<>();
      for (String identifier : identifiers) {
        pending.add(pool.submit(() -> register(identifier)));
      }
      List<Registered> registered = new ArrayList<>();
      for (Future<Registered> future : pending) {
        registered.add(future.get());
      }
      return registered;
    } finally {
      pool.shutdownNow();
    }
  }

  private Registered register(String identifier) throws IOException, InterruptedException {
    String body =
        FleetlineJson.mapper()
            .writeValueAsString(
                Map.of(
                    "name",
                    "Simulated " + identifier,
                    "devices",
                    List.of(Map.of("protocol", "http", "identifier", identifier))));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/vehicles"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "registering "
              + identifier
              + " failed with "
              + response.statusCode()
              + ": "
              + response.body());
    }
    JsonNode vehicle = json(response.body());
    return new Registered(
        vehicle.get("id").stringValue(),
        identifier,
        vehicle.get("devices").get(0).get("token").stringValue());
  }

  private static JsonNode json(String body) {
    return FleetlineJson.mapper().readTree(body);
  }
}
