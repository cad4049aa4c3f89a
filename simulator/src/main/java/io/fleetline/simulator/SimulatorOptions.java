package io.fleetline.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What the simulator was asked to do, from the command line, the environment and an env file. */
record SimulatorOptions(
    String mode,
    String apiUrl,
    String ingestUrl,
    String osmandUrl,
    String teltonikaAddr,
    String mqttUrl,
    String clientId,
    String clientSecret,
    int vehicles,
    ProtocolMix protocols,
    Duration interval,
    double centreLat,
    double centreLon,
    double radiusM,
    double blockM,
    Duration duration,
    Duration history,
    long seed,
    String runId,
    double ratePerSecond,
    int batch,
    int concurrency,
    double invalidRatio,
    double gpsNoiseM,
    double gpsJumpRatio,
    Duration retryFor,
    Path truthDir,
    String summaryFile,
    int connections,
    Duration warmup,
    String windowFile) {

  static final Set<String> MODES = Set.of("demo", "load", "backfill", "chaos", "devices");

  static final String USAGE =
      """
      Usage: java -jar simulator.jar [demo|load|backfill|chaos|devices] [options]

      Drives a simulated fleet: registers V vehicles through fleet-api, each with one device of a
      protocol from --protocols, then drives them on a street grid around a city centre and sends
      their pings to ingest over that protocol.

      Modes:
        demo      (default) real time: every vehicle reports every --interval, one ping per message,
                  until --duration (0 = until stopped)
        load      as fast as ingest takes them, or paced to --rate pings/s overall, for --duration
                  seconds (default 60): pings are buffered per vehicle and sent --batch at a time
                  (HTTP array, MQTT array, Teltonika packets of up to 255 records; OsmAnd has one
                  position per request, up to 32 requests in flight); event time starts a day
                  back; prints a JSON summary
        backfill  every vehicle was offline for --history (default 3h) up to now; then all upload
                  their buffers, --batch at a time, oldest first per vehicle but interleaved at
                  random across vehicles, with their original timestamps
        chaos     like backfill over the last --history (default 30m), with --invalid-ratio
                  (default 0.1) of the pings invalid, cycling through every kind ingest rejects
                  that the vehicle's protocol can carry; each is written to the ground truth with
                  the reason ingest should give, and where the protocol answers with a reason
                  (HTTP, OsmAnd) the answer is checked
        devices   devices as they really report, one ping per message with event time now, all
                  connections on two event-loop threads: each device on its own connection
                  (OsmAnd and HTTP JSON kept alive, MQTT, Teltonika) pings every --interval,
                  phases spread over the interval, one ping in flight (a tick that finds it
                  unacknowledged is late); or with --connections C, the closed loop: OsmAnd or
                  HTTP JSON devices take turns on C kept-alive connections, each sending the next
                  request as soon as the last is answered. Connections open 500 a second; once
                  every device was acknowledged once, --warmup, then a window of --duration is
                  measured (acknowledged/s, acknowledgement latency, the simulator's own CPU)

      Where the platform is (flags win over the environment, which wins over the env file):
        --env-file PATH        read FLEETLINE_* settings from this file
                               (default: .local/fleetline.env when it exists)
        --api-url URL          fleet-api base URL            (FLEETLINE_API_URL)
        --client-id ID         fleet client with fleet.write (FLEETLINE_DEMO_CLIENT_ID)
        --client-secret SECRET its secret                    (FLEETLINE_DEMO_CLIENT_SECRET)
        --ingest-url URL       ingest base URL, HTTP JSON    (FLEETLINE_INGEST_URL)
        --osmand-url URL       OsmAnd endpoint base URL      (FLEETLINE_OSMAND_URL)
        --teltonika-addr H:P   Teltonika TCP listener        (FLEETLINE_TELTONIKA_ADDR)
        --mqtt-url URL         MQTT broker, tcp://host:port  (FLEETLINE_MQTT_URL); each MQTT
                               vehicle logs in as its own device

      The fleet:
        --vehicles N           vehicles to drive (default 10)
        --protocols MIX        protocol proportions, e.g. http=50,osmand=20,mqtt=20,teltonika=10
                               (default http=100); vehicles are split by largest remainder
        --interval SECONDS     reporting interval of a vehicle, may be fractional (default 5)
        --center LAT,LON       city centre (default 52.5200,13.4050)
        --radius-m METRES      how far from the centre vehicles roam (default 3000)
        --block-m METRES       distance between parallel streets (default 250)
        --gps-noise-m METRES   standard deviation of the GPS noise (default 4)
        --gps-jump-ratio R     share of fixes that are outliers 100-400 m off (default 0.002)
        --seed N               random seed: the same seed drives the same fleet (default: random)
        --run-id ID            prefix of the device identifiers, [a-z0-9]{1,8} (default: random,
                               so runs against the same stack never collide)

      Running:
        --duration SECONDS     demo/load: how long to run; demo 0 = until stopped (default demo 0,
                               load 60); devices: the measured window (default 60)
        --history DURATION     backfill/chaos: how much driving to simulate before now, e.g. 90m,
                               3h, 45s (default backfill 3h, chaos 30m)
        --rate PINGS_PER_S     load, backfill, chaos: target rate over all vehicles, 0 = as
                               fast as ingest takes them (default 0)
        --batch N              pings per upload, at most 1000 (default 100)
        --concurrency N        uploads in flight at once (default 16)
        --invalid-ratio R      share of pings sent invalid on purpose, 0..1 (default chaos 0.1,
                               other modes 0)
        --retry-for SECONDS    how long a device keeps resending an upload ingest did not
                               acknowledge, as trackers do (default 30)
        --truth DIR            write the ground truth there: vehicles.jsonl, pings.jsonl (every
                               valid ping sent), invalid.jsonl (every invalid one with the reason
                               expected), trips.jsonl (the trips really driven), summary.json
        --connections C        devices: the closed loop over C connections (osmand or http only)
        --warmup SECONDS       devices: time between every device acknowledged once and the
                               window (default 20)
        --window-file PATH     load, devices: append "start <epochMillis>" when the measured window
                               opens and "end <epochMillis>" when it closes
        --summary-file PATH    also write the JSON summary to this file
        --help                 this text
      """;

  private static final Set<String> FLAGS =
      Set.of(
          "env-file",
          "api-url",
          "ingest-url",
          "osmand-url",
          "teltonika-addr",
          "mqtt-url",
          "client-id",
          "client-secret",
          "vehicles",
          "protocols",
          "interval",
          "center",
          "radius-m",
          "block-m",
          "gps-noise-m",
          "gps-jump-ratio",
          "seed",
          "run-id",
          "duration",
          "history",
          "rate",
          "batch",
          "concurrency",
          "invalid-ratio",
          "retry-for",
          "truth",
          "summary-file",
          "connections",
          "warmup",
          "window-file");

  /** Parses arguments; settings not given fall back to the environment, then the env file. */
  static SimulatorOptions parse(List<String> args, Map<String, String> environment)
      throws IOException {
    Map<String, String> flags = new HashMap<>();
    String mode = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (MODES.contains(arg)) {
        if (mode != null) {
          throw new IllegalArgumentException("only one mode, got '" + mode + "' and '" + arg + "'");
        }
        mode = arg;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(
            "unexpected argument '" + arg + "' (modes: demo, load, backfill, chaos, devices)");
      }
      String name = arg.substring(2);
      if (!FLAGS.contains(name)) {
        throw new IllegalArgumentException("unknown option '" + arg + "'; see --help");
      }
      if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      flags.put(name, args.get(++i));
    }
    mode = mode == null ? "demo" : mode;
    Map<String, String> settings = new HashMap<>(envFile(flags.get("env-file")));
    settings.putAll(environment);

    String[] centre = flags.getOrDefault("center", "52.5200,13.4050").split(",");
    if (centre.length != 2) {
      throw new IllegalArgumentException("--center must be LAT,LON");
    }
    double centreLat = number(centre[0], "--center");
    double centreLon = number(centre[1], "--center");
    if (Math.abs(centreLat) > 80 || Math.abs(centreLon) > 180) {
      throw new IllegalArgumentException("--center must be within ±80° latitude, ±180° longitude");
    }
    int batch = positiveInt(flags.getOrDefault("batch", "100"), "--batch");
    if (batch > 1000) {
      throw new IllegalArgumentException("--batch must be at most 1000, was " + batch);
    }
    double intervalSeconds = number(flags.getOrDefault("interval", "5"), "--interval");
    if (!(intervalSeconds >= 0.01)) {
      throw new IllegalArgumentException("--interval must be at least 0.01 seconds");
    }
    ProtocolMix protocols = ProtocolMix.parse(flags.getOrDefault("protocols", "http=100"));
    double invalidRatio =
        ratio(
            flags.getOrDefault("invalid-ratio", mode.equals("chaos") ? "0.1" : "0"),
            "--invalid-ratio");
    Duration history =
        duration(flags.getOrDefault("history", mode.equals("chaos") ? "30m" : "3h"), "--history");
    if (history.compareTo(Duration.ofDays(25)) > 0) {
      throw new IllegalArgumentException(
          "--history must be at most 25 days (ingest refuses pings older than 30 days)");
    }
    String runId = flags.getOrDefault("run-id", randomRunId());
    if (!runId.matches("[a-z0-9]{1,8}")) {
      throw new IllegalArgumentException("--run-id must be 1-8 lower-case letters or digits");
    }
    String truth = flags.get("truth");
    int connections = devicesOptions(mode, flags, protocols, invalidRatio);
    return new SimulatorOptions(
        mode,
        required(flags, "api-url", settings, "FLEETLINE_API_URL"),
        protocols.includes(Protocol.HTTP)
            ? required(flags, "ingest-url", settings, "FLEETLINE_INGEST_URL")
            : flags.getOrDefault("ingest-url", settings.get("FLEETLINE_INGEST_URL")),
        protocols.includes(Protocol.OSMAND)
            ? required(flags, "osmand-url", settings, "FLEETLINE_OSMAND_URL")
            : null,
        protocols.includes(Protocol.TELTONIKA)
            ? hostPort(required(flags, "teltonika-addr", settings, "FLEETLINE_TELTONIKA_ADDR"))
            : null,
        protocols.includes(Protocol.MQTT)
            ? required(flags, "mqtt-url", settings, "FLEETLINE_MQTT_URL")
            : null,
        required(flags, "client-id", settings, "FLEETLINE_DEMO_CLIENT_ID"),
        required(flags, "client-secret", settings, "FLEETLINE_DEMO_CLIENT_SECRET"),
        positiveInt(flags.getOrDefault("vehicles", "10"), "--vehicles"),
        protocols,
        Duration.ofMillis(Math.round(intervalSeconds * 1000)),
        centreLat,
        centreLon,
        positive(flags.getOrDefault("radius-m", "3000"), "--radius-m"),
        positive(flags.getOrDefault("block-m", "250"), "--block-m"),
        Duration.ofSeconds(
            nonNegativeLong(
                flags.getOrDefault(
                    "duration", mode.equals("load") || mode.equals("devices") ? "60" : "0"),
                "--duration")),
        history,
        seed(flags.get("seed")),
        runId,
        nonNegative(flags.getOrDefault("rate", "0"), "--rate"),
        batch,
        positiveInt(flags.getOrDefault("concurrency", "16"), "--concurrency"),
        invalidRatio,
        nonNegative(flags.getOrDefault("gps-noise-m", "4"), "--gps-noise-m"),
        ratio(flags.getOrDefault("gps-jump-ratio", "0.002"), "--gps-jump-ratio"),
        Duration.ofSeconds(nonNegativeLong(flags.getOrDefault("retry-for", "30"), "--retry-for")),
        truth == null ? null : Path.of(truth),
        flags.get("summary-file"),
        connections,
        Duration.ofSeconds(nonNegativeLong(flags.getOrDefault("warmup", "20"), "--warmup")),
        flags.get("window-file"));
  }

  /**
   * The closed loop's connection count (0 = one connection per device), after checking what only
   * the devices mode takes and what it cannot do.
   */
  private static int devicesOptions(
      String mode, Map<String, String> flags, ProtocolMix protocols, double invalidRatio) {
    boolean devices = mode.equals("devices");
    for (String flag : List.of("connections", "warmup")) {
      if (!devices && flags.containsKey(flag)) {
        throw new IllegalArgumentException("--" + flag + " applies to the devices mode only");
      }
    }
    if (flags.containsKey("window-file") && !devices && !mode.equals("load")) {
      throw new IllegalArgumentException("--window-file applies to the load and devices modes");
    }
    if (!devices) {
      return 0;
    }
    if (invalidRatio > 0) {
      throw new IllegalArgumentException(
          "the devices mode sends valid pings only (no --invalid-ratio)");
    }
    if (flags.getOrDefault("duration", "60").strip().matches("0+")) {
      throw new IllegalArgumentException(
          "the devices mode needs a --duration, the measured window");
    }
    if (!flags.containsKey("connections")) {
      return 0;
    }
    int connections = positiveInt(flags.get("connections"), "--connections");
    if (protocols.weights().size() != 1
        || !(protocols.includes(Protocol.OSMAND) || protocols.includes(Protocol.HTTP))) {
      throw new IllegalArgumentException(
          "--connections (the closed loop) takes one protocol, osmand or http, got --protocols "
              + protocols
              + "; MQTT and Teltonika devices each keep their own connection: leave out"
              + " --connections");
    }
    return connections;
  }

  /** "90s", "30m", "3h", "2d" or plain seconds. */
  static Duration duration(String value, String flag) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    try {
      char unit = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
      String digits = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
      long amount = Long.parseLong(digits);
      if (amount <= 0) {
        throw new IllegalArgumentException(flag + " must be positive, was '" + value + "'");
      }
      return switch (unit) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> {
          if (!Character.isDigit(unit)) {
            throw new NumberFormatException();
          }
          yield Duration.ofSeconds(amount);
        }
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          flag + " must be a duration such as 90s, 30m or 3h, was '" + value + "'");
    }
  }

  private static String randomRunId() {
    return Long.toString(
        (System.nanoTime() ^ (long) (Math.random() * Long.MAX_VALUE)) & 0xFFFFFFFFFL, 36);
  }

  private static long seed(String value) {
    if (value == null) {
      return System.nanoTime();
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seed must be a whole number, was '" + value + "'");
    }
  }

  private static String hostPort(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || !value.substring(colon + 1).matches("\\d{1,5}")) {
      throw new IllegalArgumentException(
          "the Teltonika address must be host:port, was '" + value + "'");
    }
    return value;
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

  private static double number(String value, String flag) {
    try {
      double parsed = Double.parseDouble(value.strip());
      if (!Double.isFinite(parsed)) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a number, was '" + value + "'");
    }
  }

  private static double positive(String value, String flag) {
    double parsed = number(value, flag);
    if (parsed <= 0) {
      throw new IllegalArgumentException(flag + " must be positive, was " + value);
    }
    return parsed;
  }

  private static double nonNegative(String value, String flag) {
    double parsed = number(value, flag);
    if (parsed < 0) {
      throw new IllegalArgumentException(flag + " must not be negative, was " + value);
    }
    return parsed;
  }

  private static double ratio(String value, String flag) {
    double parsed = number(value, flag);
    if (parsed < 0 || parsed > 1) {
      throw new IllegalArgumentException(flag + " must be within 0..1, was " + value);
    }
    return parsed;
  }

  private static int positiveInt(String value, String flag) {
    int parsed;
    try {
      parsed = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, was '" + value + "'");
    }
    if (parsed <= 0) {
      throw new IllegalArgumentException(flag + " must be positive, was " + value);
    }
    return parsed;
  }

  private static long nonNegativeLong(String value, String flag) {
    try {
      long parsed = Long.parseLong(value.strip());
      if (parsed < 0) {
        throw new IllegalArgumentException(flag + " must not be negative, was " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, was '" + value + "'");
    }
  }
}
