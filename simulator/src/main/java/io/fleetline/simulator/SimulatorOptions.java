package io.fleetline.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the simulator was asked to do, from the command line, the environment and an env file. */
record SimulatorOptions(
    String mode,
    String apiUrl,
    String ingestUrl,
    String clientId,
    String clientSecret,
    int vehicles,
    Duration interval,
    double centreLat,
    double centreLon,
    double radiusM,
    Duration duration,
    long seed,
    double ratePerSecond,
    int batch,
    int concurrency,
    String summaryFile) {

  static final String USAGE =
      """
      Usage: java -jar simulator.jar [demo|load] [options]

      Drives a simulated fleet: registers vehicles (HTTP devices) through fleet-api, then sends
      each vehicle's pings to ingest.

        demo                   (default) every vehicle reports in real time, one ping per request
        load                   vehicles buffer their pings and upload them in batches, paced to
                               --rate pings/s overall (0 = as fast as ingest takes them), for
                               --duration seconds; prints accepted pings/s and a JSON summary

        --env-file PATH        read FLEETLINE_* settings from this file
                               (default: .local/fleetline.env when it exists)
        --api-url URL          fleet-api base URL            (FLEETLINE_API_URL)
        --ingest-url URL       ingest base URL               (FLEETLINE_INGEST_URL)
        --client-id ID         fleet client with fleet.write (FLEETLINE_DEMO_CLIENT_ID)
        --client-secret SECRET its secret                    (FLEETLINE_DEMO_CLIENT_SECRET)
        --vehicles N           vehicles to drive (default 10)
        --interval SECONDS     reporting interval of a vehicle, may be fractional (default 5)
        --center LAT,LON       city centre (default 52.5200,13.4050)
        --radius-m METRES      how far vehicles roam (default 3000)
        --duration SECONDS     stop after this long; 0 runs until stopped (default 0)
        --seed N               random seed, for repeatable fleets (default: random)
        --rate PINGS_PER_S     load: target rate over all vehicles, 0 = unpaced (default 0)
        --batch N              load: pings per upload, at most 1000 (default 100)
        --concurrency N        load: uploads in flight at once (default 16)
        --summary-file PATH    load: also write the JSON summary to this file
        --help                 this text
      """;

  /** Parses arguments; settings not given fall back to the environment, then the env file. */
  static SimulatorOptions parse(List<String> args, Map<String, String> environment)
      throws IOException {
    Map<String, String> flags = new HashMap<>();
    String mode = "demo";
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("demo") || arg.equals("load")) {
        mode = arg;
        continue;
      }
      if (!arg.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      flags.put(arg.substring(2), args.get(++i));
    }
    Map<String, String> settings = new HashMap<>(envFile(flags.get("env-file")));
    settings.putAll(environment);
    String[] centre = flags.getOrDefault("center", "52.5200,13.4050").split(",");
    if (centre.length != 2) {
      throw new IllegalArgumentException("--center must be LAT,LON");
    }
    int batch = positive(flags.getOrDefault("batch", "100"), "--batch");
    if (batch > 1000) {
      throw new IllegalArgumentException("--batch must be at most 1000, was " + batch);
    }
    double intervalSeconds = Double.parseDouble(flags.getOrDefault("interval", "5"));
    if (!(intervalSeconds > 0)) {
      throw new IllegalArgumentException("--interval must be positive");
    }
    return new SimulatorOptions(
        mode,
        required(flags, "api-url", settings, "FLEETLINE_API_URL"),
        required(flags, "ingest-url", settings, "FLEETLINE_INGEST_URL"),
        required(flags, "client-id", settings, "FLEETLINE_DEMO_CLIENT_ID"),
        required(flags, "client-secret", settings, "FLEETLINE_DEMO_CLIENT_SECRET"),
        positive(flags.getOrDefault("vehicles", "10"), "--vehicles"),
        Duration.ofMillis(Math.round(intervalSeconds * 1000)),
        Double.parseDouble(centre[0].strip()),
        Double.parseDouble(centre[1].strip()),
        Double.parseDouble(flags.getOrDefault("radius-m", "3000")),
        Duration.ofSeconds(Long.parseLong(flags.getOrDefault("duration", "0"))),
        Long.parseLong(flags.getOrDefault("seed", Long.toString(System.nanoTime()))),
        Double.parseDouble(flags.getOrDefault("rate", "0")),
        batch,
        positive(flags.getOrDefault("concurrency", "16"), "--concurrency"),
        flags.get("summary-file"));
  }

  private static Map<String, String> envFile(String path) throws IOException {
    Path file = Path.of(path == null ? ".local/fleetline.env" : path);
    if (!Files.exists(file)) {
      if (path != null) {
        throw new IllegalArgumentException("--env-file " + path + " does not exist");
      }
      return Map.of();
    }
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
      }
    }
    return values;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("'") && value.endsWith("'")
            || value.startsWith("\"") && value.endsWith("\""))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static String required(
      Map<String, String> flags, String flag, Map<String, String> settings, String variable) {
    String value = flags.getOrDefault(flag, settings.get(variable));
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "--" + flag + " is required (or " + variable + " in the environment or env file)");
    }
    return value;
  }

  private static int positive(String value, String flag) {
    int parsed = Integer.parseInt(value);
    if (parsed <= 0) {
      throw new IllegalArgumentException(flag + " must be positive, was " + value);
    }
    return parsed;
  }
}
