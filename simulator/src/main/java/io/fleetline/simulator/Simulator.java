package io.fleetline.simulator;

import io.fleetline.common.FleetlineJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * The simulator's entry point: registers a fleet of simulated vehicles through fleet-api and drives
 * them in real time, each sending its pings to ingest with its own device token.
 */
public final class Simulator {

  private final SimulatorOptions options;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  Simulator(SimulatorOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(SimulatorOptions.USAGE);
      return;
    }
    SimulatorOptions options;
    try {
      options = SimulatorOptions.parse(List.of(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("simulator: " + e.getMessage() + "\n");
      System.err.print(SimulatorOptions.USAGE);
      System.exit(2);
      return;
    }
    new Simulator(options).run();
  }

  void run() throws Exception {
    String token = accessToken();
    SplittableRandom random = new SplittableRandom(options.seed());
    List<Driven> fleet = new ArrayList<>();
    String run = Long.toString(Math.abs(options.seed()) % 1_000_000, 36);
    for (int i = 1; i <= options.vehicles(); i++) {
      fleet.add(register(token, "sim-" + run + "-" + i, random.split()));
    }
    System.out.printf(
        "Driving %d vehicles around %.4f,%.4f, a ping every %ds%n",
        fleet.size(), options.centreLat(), options.centreLon(), options.interval().toSeconds());
    Instant end =
        options.duration().isZero() ? Instant.MAX : Instant.now().plus(options.duration());
    while (Instant.now().isBefore(end)) {
      Instant tickStart = Instant.now();
      Instant recordedAt = tickStart.truncatedTo(ChronoUnit.MILLIS);
      List<CompletableFuture<?>> sends = new ArrayList<>();
      for (Driven vehicle : fleet) {
        vehicle.model().advance(options.interval());
        sends.add(sendPing(vehicle, vehicle.model().pingJson(recordedAt)));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
      System.out.printf("%s accepted=%d failed=%d%n", recordedAt, accepted.get(), failed.get());
      long sleepMs =
          options.interval().toMillis() - Duration.between(tickStart, Instant.now()).toMillis();
      if (sleepMs > 0) {
        Thread.sleep(sleepMs); // real-time pacing of the simulated fleet
      }
    }
  }

  private record Driven(String vehicleId, String deviceToken, SimulatedVehicle model) {}

  private String accessToken() throws IOException, InterruptedException {
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
    return json(response.body()).get("access_token").stringValue();
  }

  private Driven register(String token, String identifier, SplittableRandom random)
      throws IOException, InterruptedException {
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
            HttpRequest.newBuilder(URI.create(options.apiUrl() + "/api/v1/vehicles"))
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
    return new Driven(
        vehicle.get("id").stringValue(),
        vehicle.get("devices").get(0).get("token").stringValue(),
        new SimulatedVehicle(random, options.centreLat(), options.centreLon(), options.radiusM()));
  }

  private CompletableFuture<?> sendPing(Driven vehicle, String ping) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(options.ingestUrl() + "/api/v1/pings"))
            .header("Authorization", "Bearer " + vehicle.deviceToken())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(15))
            .POST(HttpRequest.BodyPublishers.ofString(ping))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, error) -> {
              // A device whose registration ingest has not seen yet gets 401 for a moment.
              (error == null && response.statusCode() == 202 ? accepted : failed).incrementAndGet();
              return null;
            });
  }

  private static JsonNode json(String body) {
    return FleetlineJson.mapper().readTree(body);
  }
}
