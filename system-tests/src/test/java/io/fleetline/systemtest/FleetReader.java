package io.fleetline.systemtest;

import io.fleetline.api.testing.ApiClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads what the platform stored for one fleet the way an integrator would: through fleet-api with
 * the fleet's own client, following {@code nextCursor} over every page. Fetches a fresh token when
 * the current one has expired.
 */
final class FleetReader {

  private static final int PAGE = 1000;

  private final ApiClient api;
  private final Platform.Fleet fleet;
  private String token;

  FleetReader(Platform platform, Platform.Fleet fleet) {
    this(platform.api, fleet);
  }

  /** Reads through the fleet-api instance {@code api}. */
  FleetReader(ServiceProcess api, Platform.Fleet fleet) {
    this.api = new ApiClient(api.baseUrl());
    this.fleet = fleet;
    this.token = fleet.token();
  }

  /** Every position of the vehicle recorded in [from, to), oldest first. */
  List<JsonNode> track(String vehicleId, Instant from, Instant to) throws Exception {
    return all(
        "/api/v1/vehicles/"
            + vehicleId
            + "/track?from="
            + encode(from.toString())
            + "&to="
            + encode(to.toString()));
  }

  /** Every trip of the vehicle. */
  List<JsonNode> trips(String vehicleId) throws Exception {
    return all("/api/v1/vehicles/" + vehicleId + "/trips");
  }

  /** The fleet's whole event feed, oldest first. */
  List<JsonNode> events() throws Exception {
    return all("/api/v1/events");
  }

  /** The vehicle's daily summaries from {@code from} to {@code to} (days, both included). */
  List<JsonNode> summaries(String vehicleId, LocalDate from, LocalDate to) throws Exception {
    return all("/api/v1/vehicles/" + vehicleId + "/summaries?from=" + from + "&to=" + to);
  }

  /** What analytics last made of the vehicle: online or offline since when, and idling. */
  JsonNode status(String vehicleId) throws Exception {
    return ok(get("/api/v1/vehicles/" + vehicleId + "/status")).json();
  }

  /** The vehicle's latest position, empty while it has none. */
  Optional<JsonNode> position(String vehicleId) throws Exception {
    ApiClient.Response response = get("/api/v1/vehicles/" + vehicleId + "/position");
    if (response.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(ok(response).json());
  }

  private List<JsonNode> all(String path) throws Exception {
    List<JsonNode> items = new ArrayList<>();
    String separator = path.contains("?") ? "&" : "?";
    String cursor = null;
    do {
      String page =
          path + separator + "limit=" + PAGE + (cursor == null ? "" : "&cursor=" + encode(cursor));
      JsonNode body = ok(get(page)).json();
      body.get("items").forEach(items::add);
      JsonNode next = body.get("nextCursor");
      cursor = next == null || next.isNull() ? null : next.stringValue();
    } while (cursor != null);
    return items;
  }

  private ApiClient.Response get(String path) throws Exception {
    ApiClient.Response response = api.get(path, token);
    if (response.status() == 401) {
      token = api.token(fleet.clientId(), fleet.clientSecret(), "fleet.read fleet.write");
      response = api.get(path, token);
    }
    return response;
  }

  private static ApiClient.Response ok(ApiClient.Response response) {
    if (response.status() != 200) {
      throw new AssertionError("fleet-api answered " + response.status() + ": " + response.body());
    }
    return response;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
