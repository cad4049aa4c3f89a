package io.fleetline.simulator;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulator's entry point: registers a fleet of simulated vehicles through fleet-api and drives
 * them, each sending its pings to ingest with its own device token.
 */
public final class Simulator {

  private Simulator() {}

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
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<SimulatedFleet.Vehicle> fleet = register(http, options);
    if (options.mode().equals("load")) {
      new LoadMode(http, options, fleet).run();
    } else {
      new DemoMode(http, options, fleet).run();
    }
  }

  private static List<SimulatedFleet.Vehicle> register(HttpClient http, SimulatorOptions options)
      throws Exception {
    FleetApi api = FleetApi.connect(http, options);
    String run = Long.toString(Math.abs(options.seed()) % 1_000_000, 36);
    List<String> identifiers = new ArrayList<>();
    for (int i = 1; i <= options.vehicles(); i++) {
      identifiers.add("sim-" + run + "-" + i);
    }
    long started = System.nanoTime();
    List<FleetApi.Registered> registered = api.register(identifiers, 16);
    System.out.printf(
        "Registered %d vehicles in %.1f s%n",
        registered.size(), (System.nanoTime() - started) / 1e9);
    SplittableRandom random = new SplittableRandom(options.seed());
    List<SimulatedFleet.Vehicle> fleet = new ArrayList<>();
    for (FleetApi.Registered r : registered) {
      fleet.add(
          new SimulatedFleet.Vehicle(
              r,
              new SimulatedVehicle(
                  random.split(), options.centreLat(), options.centreLon(), options.radiusM())));
    }
    return fleet;
  }
}
