package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Model.OptionSpec;

class SimulatorCommandTest {

  static final List<String> PLATFORM =
      List.of("--api-url", "http://api", "--client-id", "c", "--client-secret", "s");

  static final Map<String, String> ENVIRONMENT = Map.of("FLEETLINE_INGEST_URL", "http://ingest");

  /** The settings of {@code args} plus the platform's flags. */
  static SimulatorOptions parse(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(PLATFORM);
    return SimulatorCommand.parse(all, ENVIRONMENT);
  }

  /** What running a command line printed and returned; nothing is driven. */
  record Outcome(int exitCode, String out, String err, SimulatorOptions ran) {}

  static Outcome execute(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicReference<SimulatorOptions> ran = new AtomicReference<>();
    int exitCode =
        SimulatorCommand.execute(
            List.of(args), ENVIRONMENT, new PrintWriter(out), new PrintWriter(err), ran::set);
    return new Outcome(exitCode, out.toString(), err.toString(), ran.get());
  }

  @Test
  void settingsComeFromTheLocalStacksEnvFileUnlessFlagsOrTheEnvironmentSayOtherwise(
      @TempDir Path dir) throws Exception {
    Path env = dir.resolve("fleetline.env");
    String secret = "made-up-" + UUID.randomUUID();
    Files.writeString(
        env,
        """
        # written by up.sh
        FLEETLINE_API_URL=http://127.0.0.1:8080
        FLEETLINE_INGEST_URL='http://127.0.0.1:8081'
        FLEETLINE_DEMO_CLIENT_ID=flc_demo
        FLEETLINE_DEMO_CLIENT_SECRET="%s"
        """
            .formatted(secret));

    SimulatorOptions options =
        SimulatorCommand.parse(
            List.of("demo", "--env-file", env.toString(), "--api-url", "http://flag:1"),
            Map.of("FLEETLINE_DEMO_CLIENT_ID", "from_environment"));

    assertThat(options.apiUrl()).isEqualTo("http://flag:1");
    assertThat(options.clientId()).isEqualTo("from_environment");
    assertThat(options.clientSecret()).isEqualTo(secret);
    assertThat(options.ingestUrl()).isEqualTo("http://127.0.0.1:8081");
  }

  @Test
  void eachModeHasItsOwnDefaults() throws Exception {
    SimulatorOptions demo = parse("demo");
    assertThat(demo.mode()).isEqualTo("demo");
    assertThat(demo.vehicles()).isEqualTo(10);
    assertThat(demo.protocols().weights()).containsOnlyKeys(Protocol.HTTP);
    assertThat(demo.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(demo.centreLat()).isEqualTo(52.52);
    assertThat(demo.centreLon()).isEqualTo(13.405);
    assertThat(demo.radiusM()).isEqualTo(3000);
    assertThat(demo.blockM()).isEqualTo(250);
    assertThat(demo.gpsNoiseM()).isEqualTo(4);
    assertThat(demo.gpsJumpRatio()).isEqualTo(0.002);
    assertThat(demo.runId()).matches("[a-z0-9]{1,8}");
    assertThat(demo.duration()).isZero();
    assertThat(demo.invalidRatio()).isZero();
    assertThat(demo.concurrency()).isEqualTo(16);
    assertThat(demo.retryFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(demo.truthDir()).isNull();
    assertThat(demo.summaryFile()).isNull();

    SimulatorOptions load = parse("load");
    assertThat(load.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(load.batch()).isEqualTo(100);
    assertThat(load.ratePerSecond()).isZero();
    assertThat(load.windowFile()).isNull();

    assertThat(parse("backfill").history()).isEqualTo(Duration.ofHours(3));
    assertThat(parse("backfill").invalidRatio()).isZero();
    assertThat(parse("chaos").history()).isEqualTo(Duration.ofMinutes(30));
    assertThat(parse("chaos").invalidRatio()).isEqualTo(0.1);

    SimulatorOptions devices = parse("devices");
    assertThat(devices.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(devices.warmup()).isEqualTo(Duration.ofSeconds(20));
    assertThat(devices.connections()).isZero();
  }

  @Test
  void withoutAModeTheCommandLineIsTheDemos() throws Exception {
    assertThat(parse().mode()).isEqualTo("demo");
    assertThat(parse("--vehicles", "3").vehicles()).isEqualTo(3);
    assertThat(execute("--help").out()).contains("Without a mode, demo");
  }

  @Test
  void eachModeTakesItsOwnOptions() throws Exception {
    SimulatorOptions load =
        parse(
            "load",
            "--rate",
            "50000",
            "--batch",
            "500",
            "--interval",
            "0.2",
            "--summary-file",
            "target/x.json",
            "--window-file",
            "target/w");
    assertThat(load.ratePerSecond()).isEqualTo(50_000);
    assertThat(load.batch()).isEqualTo(500);
    assertThat(load.interval()).isEqualTo(Duration.ofMillis(200));
    assertThat(load.summaryFile()).isEqualTo("target/x.json");
    assertThat(load.windowFile()).isEqualTo("target/w");

    assertThat(parse("backfill", "--history", "90m").history()).isEqualTo(Duration.ofMinutes(90));
    assertThat(parse("backfill", "--history", "45").history()).isEqualTo(Duration.ofSeconds(45));
    assertThat(parse("chaos", "--invalid-ratio", "0.5").invalidRatio()).isEqualTo(0.5);
    assertThat(parse("demo", "--seed", "7").seed()).isEqualTo(7);
    assertThat(parse("demo", "--run-id", "abc1").runId()).isEqualTo("abc1");
    assertThat(parse("demo", "--truth", "target/t").truthDir()).isEqualTo(Path.of("target/t"));
    assertThat(parse("demo", "--center", "-33.92,18.42").centreLat()).isEqualTo(-33.92);

    SimulatorOptions closed =
        parse("devices", "--connections", "16", "--warmup", "5", "--duration", "30");
    assertThat(closed.connections()).isEqualTo(16);
    assertThat(closed.warmup()).isEqualTo(Duration.ofSeconds(5));
    assertThat(closed.duration()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anOptionGivenTwiceTakesItsLastValueAsBefore() throws Exception {
    assertThat(parse("load", "--vehicles", "3", "--vehicles", "5").vehicles()).isEqualTo(5);
    assertThat(parse("load", "--rate=20").ratePerSecond()).isEqualTo(20);
  }

  @Test
  void aClientSecretStartingWithAtIsAValueNotAFileToRead() throws Exception {
    assertThat(
            SimulatorCommand.parse(
                    List.of("--api-url", "a", "--client-id", "c", "--client-secret", "@secret"),
                    ENVIRONMENT)
                .clientSecret())
        .isEqualTo("@secret");
  }

  @Test
  void everyProtocolInTheMixNeedsItsEndpoint() throws Exception {
    Map<String, String> env =
        Map.of(
            "FLEETLINE_INGEST_URL", "http://ingest",
            "FLEETLINE_OSMAND_URL", "http://osmand",
            "FLEETLINE_TELTONIKA_ADDR", "127.0.0.1:5027",
            "FLEETLINE_MQTT_URL", "tcp://127.0.0.1:1883");
    List<String> args = new ArrayList<>(PLATFORM);
    args.addAll(List.of("--protocols", "http=50,osmand=20,mqtt=20,teltonika=10"));
    SimulatorOptions options = SimulatorCommand.parse(args, env);
    assertThat(options.osmandUrl()).isEqualTo("http://osmand");
    assertThat(options.teltonikaAddr()).isEqualTo("127.0.0.1:5027");
    assertThat(options.mqttUrl()).isEqualTo("tcp://127.0.0.1:1883");

    // Without HTTP devices no ingest URL is needed.
    assertThat(
            SimulatorCommand.parse(
                    List.of(
                        "--protocols",
                        "mqtt",
                        "--mqtt-url",
                        "tcp://x:1",
                        "--api-url",
                        "a",
                        "--client-id",
                        "c",
                        "--client-secret",
                        "s"),
                    Map.of())
                .ingestUrl())
        .isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          demo     | --vehicles       | 0          | must be a positive whole number
          demo     | --vehicles       | ten        | must be a whole number
          demo     | --interval       | 0          | at least 0.01 seconds
          demo     | --interval       | fast       | must be a number
          demo     | --center         | 52.5       | LAT,LON
          demo     | --center         | 95,13      | ±80°
          demo     | --radius-m       | 0          | must be positive
          demo     | --block-m        | NaN        | must be a number
          demo     | --gps-noise-m    | -1         | must not be negative
          demo     | --gps-jump-ratio | -0.1       | within 0..1
          demo     | --seed           | x          | not a long
          demo     | --run-id         | Run_1      | 1-8 lower-case letters or digits
          demo     | --protocols      | http=1,smtp=1 | unknown protocol 'smtp'
          demo     | --protocols      | http=-1    | weights >= 0
          demo     | --protocols      | http=0     | at least one positive weight
          demo     | --protocols      | http=1,http=2 | names http twice
          demo     | --protocols      | http=x     | must be a number
          demo     | --duration       | -1         | must not be negative
          demo     | --concurrency    | 0          | must be a positive whole number
          demo     | --retry-for      | 1.5        | must be whole seconds
          demo     | --invalid-ratio  | 1.5        | within 0..1
          load     | --batch          | 1001       | at most 1000
          load     | --rate           | -5         | must not be negative
          load     | --duration       | 1m         | must be whole seconds
          backfill | --history        | 3 weeks    | a duration such as 90s, 30m or 3h
          backfill | --history        | 40d        | at most 25 days
          chaos    | --history        | 0m         | must be positive
          chaos    | --invalid-ratio  | 2          | within 0..1
          devices  | --duration       | 0          | must be a positive number of seconds
          devices  | --warmup         | soon       | must be whole seconds
          devices  | --connections    | 0          | must be a positive whole number
          """)
  void aBadValueEndsWithExitCodeTwoAndAMessageNamingTheOption(
      String mode, String option, String value, String problem) throws Exception {
    List<String> args = new ArrayList<>(List.of(mode, option, value));
    args.addAll(PLATFORM);
    Outcome outcome = execute(args.toArray(String[]::new));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.ran()).isNull();
    assertThat(outcome.err().lines().findFirst().orElseThrow())
        .contains("'" + option + "'")
        .contains(problem);
    assertThat(outcome.err()).contains("Usage: simulator " + mode);
  }

  @Test
  void settingsFoundNowhereOrOfTheWrongFormEndWithExitCodeTwoNamingTheOption(@TempDir Path dir)
      throws Exception {
    assertThat(firstErrorLine("demo", "--api-url", "http://x", "--client-id", "c"))
        .isEqualTo(
            "--client-secret is required (or FLEETLINE_DEMO_CLIENT_SECRET in the environment or"
                + " env file)");
    assertThat(firstErrorLine("load", "--env-file", dir.resolve("missing.env").toString()))
        .contains("--env-file")
        .contains("does not exist");
    assertThat(firstErrorLine("demo", "--protocols", "osmand=1", "--api-url", "a"))
        .contains("--osmand-url is required (or FLEETLINE_OSMAND_URL");
    assertThat(firstErrorLine("demo", "--protocols", "mqtt", "--api-url", "a"))
        .contains("--mqtt-url is required");
    assertThat(
            firstErrorLine(
                "chaos",
                "--protocols",
                "teltonika",
                "--teltonika-addr",
                "nohost",
                "--api-url",
                "a"))
        .contains("--teltonika-addr must be host:port");
    assertThat(
            firstErrorLine(
                "devices",
                "--protocols",
                "osmand=1,mqtt=1",
                "--connections",
                "16",
                "--api-url",
                "a"))
        .contains("--connections (the closed loop) takes one protocol, osmand or http");
  }

  private static String firstErrorLine(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--client-id")) {
      all.addAll(List.of("--client-id", "c", "--client-secret", "s"));
    }
    Outcome outcome = execute(all.toArray(String[]::new));
    assertThat(outcome.exitCode()).as(String.join(" ", args)).isEqualTo(2);
    return outcome.err().lines().findFirst().orElseThrow();
  }

  @Test
  void whatAModeDoesNotTakeIsRefusedAsUnknownToThatMode() throws Exception {
    assertThat(firstErrorLine("load", "--connections", "16"))
        .isEqualTo("Unknown options: '--connections', '16'");
    assertThat(firstErrorLine("demo", "--warmup", "5")).contains("'--warmup'");
    assertThat(firstErrorLine("chaos", "--window-file", "w")).contains("'--window-file'");
    assertThat(firstErrorLine("devices", "--invalid-ratio", "0.1")).contains("'--invalid-ratio'");
    assertThat(firstErrorLine("demo", "--batch", "10")).contains("'--batch'");
    Outcome misspelt = execute("load", "--vehicle", "3");
    assertThat(misspelt.exitCode()).isEqualTo(2);
    assertThat(misspelt.err()).contains("Possible solutions: --vehicles");
  }

  @Test
  void theModeComesFirstAndOnlyOnce() throws Exception {
    assertThat(firstErrorLine("--vehicles", "3", "load"))
        .isEqualTo("one mode, and it comes first: got 'load' after other arguments");
    assertThat(firstErrorLine("demo", "load")).contains("got 'load'");
    assertThat(firstErrorLine("replay")).contains("'replay'");
    assertThatThrownBy(() -> parse("--vehicles", "3", "load"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("comes first");
  }

  @Test
  void anOptionWithoutItsValueIsExplained() throws Exception {
    assertThat(firstErrorLine("demo", "--api-url", "a", "--seed")).contains("'--seed'");
    assertThat(firstErrorLine("demo", "--seed", "--vehicles", "3", "--api-url", "a"))
        .contains("'--seed'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "load", "backfill", "chaos", "devices"})
  void eachModesHelpListsEveryOptionItTakes(String mode) throws Exception {
    Outcome help = execute(mode, "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.ran()).isNull();
    assertThat(help.err()).isEmpty();
    List<OptionSpec> options =
        SimulatorCommand.commandLine().getSubcommands().get(mode).getCommandSpec().options();
    assertThat(options).hasSizeGreaterThan(20);
    for (OptionSpec option : options) {
      assertThat(help.out()).contains(option.longestName());
      assertThat(option.description()).as(option.longestName()).isNotEmpty();
    }
    assertThat(help.out()).contains("Usage: simulator " + mode);
  }

  @Test
  void theHelpOfEachModeNamesTheOptionsItsCallersUse() throws Exception {
    List<String> everyMode =
        List.of(
            "--env-file",
            "--api-url",
            "--client-id",
            "--client-secret",
            "--ingest-url",
            "--osmand-url",
            "--teltonika-addr",
            "--mqtt-url",
            "--vehicles",
            "--protocols",
            "--interval",
            "--center",
            "--radius-m",
            "--block-m",
            "--gps-noise-m",
            "--gps-jump-ratio",
            "--seed",
            "--run-id",
            "--truth",
            "--summary-file",
            "--help");
    Map<String, List<String>> own =
        Map.of(
            "demo", List.of("--duration", "--invalid-ratio", "--concurrency", "--retry-for"),
            "load",
                List.of(
                    "--duration",
                    "--invalid-ratio",
                    "--concurrency",
                    "--retry-for",
                    "--batch",
                    "--rate",
                    "--window-file"),
            "backfill",
                List.of(
                    "--history",
                    "--invalid-ratio",
                    "--concurrency",
                    "--retry-for",
                    "--batch",
                    "--rate"),
            "chaos",
                List.of(
                    "--history",
                    "--invalid-ratio",
                    "--concurrency",
                    "--retry-for",
                    "--batch",
                    "--rate"),
            "devices", List.of("--duration", "--warmup", "--connections", "--window-file"));
    for (Map.Entry<String, List<String>> mode : own.entrySet()) {
      String help = execute(mode.getKey(), "--help").out();
      assertThat(help).as(mode.getKey()).contains(everyMode).contains(mode.getValue());
    }
  }

  @Test
  void backfillAndChaosShowTheirOwnDefaultsInTheirHelp() throws Exception {
    assertThat(execute("backfill", "--help").out().replaceAll("\\s+", " "))
        .contains("at most 25d (default: 3h)")
        .contains("0..1 (default: 0)");
    assertThat(execute("chaos", "--help").out().replaceAll("\\s+", " "))
        .contains("at most 25d (default: 30m)")
        .contains("0..1 (default: 0.1)");
  }

  @Test
  void theTopLevelHelpNamesEveryMode() throws Exception {
    Outcome help = execute("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("Usage: simulator")
        .contains("demo", "load", "backfill", "chaos", "devices")
        .contains("'MODE --help'");
    assertThat(execute("-h").out()).isEqualTo(help.out());
  }

  @Test
  void aValidCommandLineRunsItsModeWithExitCodeZero() throws Exception {
    Outcome outcome =
        execute(
            "chaos", "--seed", "5", "--api-url", "a", "--client-id", "c", "--client-secret", "s");
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.err()).isEmpty();
    assertThat(outcome.ran().mode()).isEqualTo("chaos");
    assertThat(outcome.ran().seed()).isEqualTo(5);
  }
}
