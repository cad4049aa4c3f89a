package io.fleetline.simulator;

import io.fleetline.common.FleetlineJson;
import io.fleetline.simulator.truth.TruthWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The simulator's entry point: registers a fleet of simulated vehicles through fleet-api, each with
 * a device of a protocol from the mix, and drives them in the chosen mode.
 */
public final class Simulator {

  /** MQTT connections the simulator keeps open at most, about four threads each. */
  static final int MAX_MQTT_CONNECTIONS = 4096;

  private Simulator() {}

  public static void main(String[] args) throws Exception {
    int exitCode =
        SimulatorCommand.execute(
            List.of(args),
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true),
            Simulator::runUntilStopped);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  private static void runUntilStopped(SimulatorOptions options) throws Exception {
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              // Ctrl-C: stop driving, but still write the summary and the ground truth.
              main.interrupt();
              try {
                main.join(15_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    execute(options);
  }

  /** Runs the mode the options name; returns its summary (also printed, and written if asked). */
  static Map<String, Object> execute(SimulatorOptions options) throws Exception {
    return execute(options, () -> false);
  }

  /**
   * As {@link #execute(SimulatorOptions)}, ending the driving early once {@code finishing} turns
   * true: no upload starts after it, and those under way are answered.
   */
  static Map<String, Object> execute(SimulatorOptions options, BooleanSupplier finishing)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<Protocol> protocols = options.protocols().assign(options.vehicles());
    List<FleetApi.NewDevice> wanted = new ArrayList<>();
    for (int i = 0; i < protocols.size(); i++) {
      wanted.add(
          new FleetApi.NewDevice(
              protocols.get(i), Identifiers.of(protocols.get(i), options.runId(), i + 1)));
    }
    long registering = System.nanoTime();
    List<Device> devices = FleetApi.connect(http, options).register(wanted, 16);
    System.out.printf(
        "Registered %d vehicles (%s) in %.1f s, run %s%n",
        devices.size(),
        counts(protocols),
        (System.nanoTime() - registering) / 1e9,
        options.runId());

    Retry retry = new Retry(options.retryFor());
    Map<Protocol, Uplink> uplinks =
        uplinks(http, options, retry, Collections.frequency(protocols, Protocol.MQTT));
    try (TruthWriter truth = TruthWriter.into(options.truthDir())) {
      new RegistryProbe(http, options, uplinks).await(devices);
      RunRecorder recorder = new RunRecorder(truth, uplinks);
      // Whole milliseconds, the contract's precision, so that every event time is one exactly.
      Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      Fleet fleet =
          new Fleet(vehicles(devices, options, now), uplinks, recorder, options, finishing);
      fleet.vehicles().forEach(recorder::vehicle);
      Map<String, Object> summary;
      try {
        summary =
            switch (options.mode()) {
              case "load" -> new LoadMode(fleet, WindowFile.at(options.windowFile())).run();
              case "devices" -> new DevicesMode(fleet, WindowFile.at(options.windowFile())).run();
              case "backfill" -> new ReplayMode(fleet, true).run();
              case "chaos" -> new ReplayMode(fleet, false).run();
              default -> new DemoMode(fleet).run(now);
            };
      } finally {
        fleet.vehicles().forEach(recorder::trips);
      }
      summary.put("protocols", counts(protocols));
      summary.put("runId", options.runId());
      summary.put("seed", options.seed());
      truth.summary(summary);
      report(summary, options);
      return summary;
    } finally {
      uplinks.values().forEach(Uplink::close);
    }
  }

  /** The fleet's vehicles, each with its own random streams split off the seed in order. */
  static List<SimVehicle> vehicles(List<Device> devices, SimulatorOptions options, Instant now) {
    SplittableRandom root = new SplittableRandom(options.seed());
    RoadGrid grid =
        new RoadGrid(options.centreLat(), options.centreLon(), options.blockM(), options.radiusM());
    List<SimVehicle> vehicles = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      Instant start =
          switch (options.mode()) {
            case "load" -> LoadMode.eventStart(options, now);
            case "backfill", "chaos" -> now.minus(options.history());
            case "devices" -> now;
            default ->
                now.plus(DemoMode.offset(options.interval(), i, devices.size()))
                    .minus(options.interval());
          };
      vehicles.add(
          new SimVehicle(
              i,
              devices.get(i),
              new VehicleMotion(grid, root.split(), start),
              root.split(),
              root.split(),
              options));
    }
    return vehicles;
  }

  /**
   * Each MQTT vehicle is a device with its own login, so each keeps its own connection open: up to
   * {@link #MAX_MQTT_CONNECTIONS} (a client costs a few threads), beyond which the least recently
   * used reconnects.
   */
  private static Map<Protocol, Uplink> uplinks(
      HttpClient http, SimulatorOptions options, Retry retry, int mqttVehicles) {
    Map<Protocol, Uplink> uplinks = new EnumMap<>(Protocol.class);
    for (Protocol p : options.protocols().weights().keySet()) {
      uplinks.put(
          p,
          switch (p) {
            case HTTP -> new HttpUplink(http, options.ingestUrl(), retry);
            case OSMAND -> new OsmandUplink(http, options.osmandUrl(), retry);
            case MQTT ->
                new MqttUplink(
                    options.mqttUrl(),
                    options.runId(),
                    Math.min(
                        MAX_MQTT_CONNECTIONS,
                        Math.max(mqttVehicles, Math.max(64, options.concurrency()))),
                    retry);
            case TELTONIKA -> new TeltonikaUplink(options.teltonikaAddr(), retry);
            case COAP -> new CoapUplink(options.coapUrl(), retry);
          });
    }
    return uplinks;
  }

  private static Map<String, Integer> counts(List<Protocol> protocols) {
    Map<String, Integer> counts = new TreeMap<>();
    protocols.forEach(p -> counts.merge(p.wireName(), 1, Integer::sum));
    return counts;
  }

  private static void report(Map<String, Object> summary, SimulatorOptions options)
      throws IOException {
    String json =
        FleetlineJson.mapper()
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(new LinkedHashMap<>(summary));
    System.out.println(json);
    if (options.summaryFile() != null) {
      Path file = Path.of(options.summaryFile());
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, json);
    }
  }

  /**
   * Waits until ingest knows the run's devices (it learns them from fleet-api through Kafka), so
   * that no ping meets an ingest that has not seen its device yet. MQTT and OsmAnd have no
   * side-effect-free way to ask (OsmAnd 404s are resent anyway), so the last HTTP or Teltonika
   * device registered stands in for all.
   */
  static final class RegistryProbe {
    private final HttpClient http;
    private final SimulatorOptions options;
    private final Map<Protocol, Uplink> uplinks;

    RegistryProbe(HttpClient http, SimulatorOptions options, Map<Protocol, Uplink> uplinks) {
      this.http = http;
      this.options = options;
      this.uplinks = uplinks;
    }

    void await(List<Device> devices) throws InterruptedException {
      Device lastHttp = null;
      Device lastTeltonika = null;
      for (Device d : devices) {
        lastHttp = d.protocol() == Protocol.HTTP ? d : lastHttp;
        lastTeltonika = d.protocol() == Protocol.TELTONIKA ? d : lastTeltonika;
      }
      if (lastHttp == null
          && lastTeltonika == null
          && devices.stream().anyMatch(d -> d.protocol() == Protocol.MQTT)) {
        // Nothing to ask: give ingest a moment; until the broker's password file holds a new
        // MQTT device, its logins are refused and retried.
        System.err.println(
            "note: no HTTP or Teltonika device to confirm registration; waiting 3 s");
        Thread.sleep(3_000);
        return;
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        if ((lastHttp == null || knows(lastHttp))
            && (lastTeltonika == null || knows(lastTeltonika))) {
          return;
        }
        Thread.sleep(200); // polling ingest, a separate process
      }
      System.err.println("warning: ingest did not confirm the new devices within 60 s");
    }

    /** An empty array: 400 from a known token, 401 from an unknown one; nothing is stored. */
    private boolean knows(Device device) throws InterruptedException {
      try {
        if (device.protocol() == Protocol.TELTONIKA) {
          return ((TeltonikaUplink) uplinks.get(Protocol.TELTONIKA))
              .handshakeAccepted(device.identifier());
        }
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(URI.create(options.ingestUrl() + "/api/v1/pings"))
                    .header("Authorization", "Bearer " + device.token())
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("[]"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 400;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
