package io.fleetline.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Real time: every vehicle sends one ping per interval, as a tracker would. */
final class DemoMode {

  private final HttpClient http;
  private final SimulatorOptions options;
  private final List<SimulatedFleet.Vehicle> fleet;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  DemoMode(HttpClient http, SimulatorOptions options, List<SimulatedFleet.Vehicle> fleet) {
    this.http = http;
    this.options = options;
    this.fleet = fleet;
  }

  void run() throws InterruptedException {
    System.out.printf(
        "Driving %d vehicles around %.4f,%.4f, a ping every %.1fs%n",
        fleet.size(),
        options.centreLat(),
        options.centreLon(),
        options.interval().toMillis() / 1000.0);
    Instant end =
        options.duration().isZero() ? Instant.MAX : Instant.now().plus(options.duration());
    while (Instant.now().isBefore(end)) {
      Instant tickStart = Instant.now();
      Instant recordedAt = tickStart.truncatedTo(ChronoUnit.MILLIS);
      List<CompletableFuture<?>> sends = new ArrayList<>();
      for (SimulatedFleet.Vehicle vehicle : fleet) {
        vehicle.model().advance(options.interval());
        sends.add(send(vehicle, vehicle.model().pingJson(recordedAt)));
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

  private CompletableFuture<?> send(SimulatedFleet.Vehicle vehicle, String ping) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(options.ingestUrl() + "/api/v1/pings"))
            .header("Authorization", "Bearer " + vehicle.registration().deviceToken())
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
}
