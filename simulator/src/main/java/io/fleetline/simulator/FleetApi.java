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

  /** A device to register: one vehicle each. */
  record NewDevice(Protocol protocol, String identifier) {}

  /** Registers one vehicle per device, several requests at a time; answers in the same order. */
  List<Device> register(List<NewDevice> devices, int parallel) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
    try {
      List<Future<Device>> pending = new ArrayList<>();
      for (NewDevice device : devices) {
        pending.add(pool.submit(() -> register(device)));
      }
      List<Device> registered = new ArrayList<>();
      for (Future<Device> future : pending) {
        registered.add(future.get());
      }
      return registered;
    } finally {
      pool.shutdownNow();
    }
  }

  private Device register(NewDevice device) throws IOException, InterruptedException {
    String identifier = device.identifier();
    String body =
        FleetlineJson.mapper()
            .writeValueAsString(
                Map.of(
                    "name",
                    "Simulated " + identifier,
                    "devices",
                    List.of(
                        Map.of(
                            "protocol",
                            device.protocol().registeredAs(),
                            "identifier",
                            identifier))));
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
    JsonNode token = vehicle.path("devices").path(0).get("token");
    return new Device(
        vehicle.get("id").stringValue(),
        device.protocol(),
        identifier,
        token == null || token.isNull() ? null : token.stringValue());
  }

  private static JsonNode json(String body) {
    return FleetlineJson.mapper().readTree(body);
  }
}
