package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorOptionsTest {

  @Test
  void settingsComeFromTheLocalStacksEnvFileUnlessFlagsSayOtherwise(@TempDir Path dir)
      throws Exception {
    Path env = dir.resolve("fleetline.env");
    Files.writeString(
        env,
        """
        FLEETLINE_API_URL=http://127.0.0.1:8080
        FLEETLINE_INGEST_URL='http://127.0.0.1:8081'
        FLEETLINE_DEMO_CLIENT_ID=flc_demo
        FLEETLINE_DEMO_CLIENT_SECRET=s3cret
        """);

    SimulatorOptions options =
        SimulatorOptions.parse(
            List.of(
                "demo",
                "--env-file",
                env.toString(),
                "--vehicles",
                "3",
                "--interval",
                "2",
                "--center",
                "48.137,11.575"),
            Map.of());

    assertThat(options.ingestUrl()).isEqualTo("http://127.0.0.1:8081");
    assertThat(options.clientId()).isEqualTo("flc_demo");
    assertThat(options.vehicles()).isEqualTo(3);
    assertThat(options.interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.centreLat()).isEqualTo(48.137);
  }

  @Test
  void missingSettingsAndBadNumbersAreExplained(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                SimulatorOptions.parse(
                    List.of("--env-file", dir.resolve("missing.env").toString()), Map.of()))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(
            () ->
                SimulatorOptions.parse(
                    List.of(
                        "--api-url", "http://x", "--env-file", dir.resolve("none.env").toString()),
                    Map.of()))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(
            () ->
                SimulatorOptions.parse(
                    List.of(
                        "--api-url", "http://x", "--ingest-url", "http://y", "--client-id", "c"),
                    Map.of()))
        .hasMessageContaining("--client-secret is required");
    assertThatThrownBy(() -> parse("--vehicles", "0"))
        .hasMessageContaining("--vehicles must be positive");
  }

  @Test
  void loadModeTakesRateBatchAndFractionalIntervals() throws Exception {
    SimulatorOptions options =
        parse(
            "load",
            "--rate",
            "50000",
            "--batch",
            "500",
            "--interval",
            "0.2",
            "--summary-file",
            "target/x.json");

    assertThat(options.mode()).isEqualTo("load");
    assertThat(options.ratePerSecond()).isEqualTo(50_000);
    assertThat(options.batch()).isEqualTo(500);
    assertThat(options.interval()).isEqualTo(Duration.ofMillis(200));
    assertThat(options.summaryFile()).isEqualTo("target/x.json");
    assertThatThrownBy(() -> parse("load", "--batch", "1001")).hasMessageContaining("at most 1000");
  }

  static final List<String> PLATFORM =
      List.of("--api-url", "http://api", "--client-id", "c", "--client-secret", "s");

  static SimulatorOptions parse(String... args) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(PLATFORM);
    return SimulatorOptions.parse(all, Map.of("FLEETLINE_INGEST_URL", "http://ingest"));
  }

  @Test
  void theDevicesModeTakesAClosedLoopAWarmupAndAWindowFile() throws Exception {
    SimulatorOptions interval = parse("devices", "--interval", "1");
    assertThat(interval.connections()).isZero();
    assertThat(interval.warmup()).isEqualTo(Duration.ofSeconds(20));
    assertThat(interval.duration()).isEqualTo(Duration.ofSeconds(60));

    SimulatorOptions closed =
        parse(
            "devices",
            "--connections",
            "16",
            "--warmup",
            "5",
            "--duration",
            "30",
            "--window-file",
            "target/w");
    assertThat(closed.connections()).isEqualTo(16);
    assertThat(closed.warmup()).isEqualTo(Duration.ofSeconds(5));
    assertThat(closed.windowFile()).isEqualTo("target/w");
    assertThat(parse("load", "--window-file", "target/w").windowFile()).isEqualTo("target/w");
  }

  @Test
  void whatOnlyTheDevicesModeTakesIsRefusedElsewhereWithAReason() {
    assertThatThrownBy(() -> parse("load", "--connections", "16"))
        .hasMessageContaining("--connections applies to the devices mode only");
    assertThatThrownBy(() -> parse("demo", "--warmup", "5"))
        .hasMessageContaining("--warmup applies to the devices mode only");
    assertThatThrownBy(() -> parse("chaos", "--window-file", "w"))
        .hasMessageContaining("--window-file applies to the load and devices modes");
    assertThatThrownBy(() -> parse("devices", "--invalid-ratio", "0.1"))
        .hasMessageContaining("valid pings only");
    assertThatThrownBy(() -> parse("devices", "--duration", "0"))
        .hasMessageContaining("needs a --duration");
    assertThatThrownBy(() -> parse("devices", "--connections", "0"))
        .hasMessageContaining("--connections must be positive");
    assertThatThrownBy(
            () ->
                parse(
                    "devices",
                    "--protocols",
                    "teltonika",
                    "--teltonika-addr",
                    "127.0.0.1:5027",
                    "--connections",
                    "16"))
        .hasMessageContaining("takes one protocol, osmand or http");
  }

  @Test
  void eachModeHasItsOwnDefaults() throws Exception {
    assertThat(parse().mode()).isEqualTo("demo");
    assertThat(parse().duration()).isZero();
    assertThat(parse().invalidRatio()).isZero();
    assertThat(parse("load").duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(parse("backfill").history()).isEqualTo(Duration.ofHours(3));
    assertThat(parse("chaos").history()).isEqualTo(Duration.ofMinutes(30));
    assertThat(parse("chaos").invalidRatio()).isEqualTo(0.1);
    assertThat(parse("chaos", "--invalid-ratio", "0.5").invalidRatio()).isEqualTo(0.5);
    assertThat(parse("backfill", "--history", "90m").history()).isEqualTo(Duration.ofMinutes(90));
    assertThat(parse("backfill", "--history", "45").history()).isEqualTo(Duration.ofSeconds(45));
    assertThat(parse().protocols().weights()).containsOnlyKeys(Protocol.HTTP);
    assertThat(parse("--run-id", "abc1").runId()).isEqualTo("abc1");
    assertThat(parse().runId()).matches("[a-z0-9]{1,8}");
    assertThat(parse("--seed", "7").seed()).isEqualTo(7);
    assertThat(parse("--truth", "target/t").truthDir()).isEqualTo(Path.of("target/t"));
  }

  @Test
  void everyProtocolInTheMixNeedsItsEndpoint() throws Exception {
    Map<String, String> env =
        Map.of(
            "FLEETLINE_INGEST_URL", "http://ingest",
            "FLEETLINE_OSMAND_URL", "http://osmand",
            "FLEETLINE_TELTONIKA_ADDR", "127.0.0.1:5027",
            "FLEETLINE_MQTT_URL", "tcp://127.0.0.1:1883");
    List<String> args = new java.util.ArrayList<>(PLATFORM);
    args.addAll(List.of("--protocols", "http=50,osmand=20,mqtt=20,teltonika=10"));
    SimulatorOptions options = SimulatorOptions.parse(args, env);
    assertThat(options.osmandUrl()).isEqualTo("http://osmand");
    assertThat(options.teltonikaAddr()).isEqualTo("127.0.0.1:5027");
    assertThat(options.mqttUrl()).isEqualTo("tcp://127.0.0.1:1883");

    assertThatThrownBy(() -> parse("--protocols", "osmand=1"))
        .hasMessageContaining("--osmand-url is required (or FLEETLINE_OSMAND_URL");
    assertThatThrownBy(() -> parse("--protocols", "mqtt"))
        .hasMessageContaining("--mqtt-url is required");
    assertThatThrownBy(() -> parse("--protocols", "teltonika", "--teltonika-addr", "nohost"))
        .hasMessageContaining("host:port");
    // Without HTTP devices no ingest URL is needed.
    assertThat(
            SimulatorOptions.parse(
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

  @Test
  void badOptionsAreRefusedWithAReason() {
    assertThatThrownBy(() -> parse("--vehicle", "3"))
        .hasMessageContaining("unknown option '--vehicle'");
    assertThatThrownBy(() -> parse("demo", "load")).hasMessageContaining("only one mode");
    assertThatThrownBy(() -> parse("replay")).hasMessageContaining("unexpected argument 'replay'");
    assertThatThrownBy(() -> parse("--seed")).hasMessageContaining("--seed needs a value");
    assertThatThrownBy(() -> parse("--protocols", "http=1,smtp=1"))
        .hasMessageContaining("unknown protocol 'smtp'");
    assertThatThrownBy(() -> parse("--protocols", "http=-1")).hasMessageContaining("weights >= 0");
    assertThatThrownBy(() -> parse("--protocols", "http=0"))
        .hasMessageContaining("at least one positive");
    assertThatThrownBy(() -> parse("--protocols", "http=1,http=2")).hasMessageContaining("twice");
    assertThatThrownBy(() -> parse("--protocols", "http=x"))
        .hasMessageContaining("must be a number");
    assertThatThrownBy(() -> parse("--invalid-ratio", "1.5")).hasMessageContaining("within 0..1");
    assertThatThrownBy(() -> parse("--gps-jump-ratio", "-0.1")).hasMessageContaining("within 0..1");
    assertThatThrownBy(() -> parse("--history", "3 weeks"))
        .hasMessageContaining("a duration such as");
    assertThatThrownBy(() -> parse("--history", "40d")).hasMessageContaining("at most 25 days");
    assertThatThrownBy(() -> parse("--history", "0m")).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> parse("--interval", "0")).hasMessageContaining("at least 0.01");
    assertThatThrownBy(() -> parse("--interval", "fast"))
        .hasMessageContaining("--interval must be a number");
    assertThatThrownBy(() -> parse("--center", "52.5")).hasMessageContaining("LAT,LON");
    assertThatThrownBy(() -> parse("--center", "95,13")).hasMessageContaining("±80°");
    assertThatThrownBy(() -> parse("--run-id", "Run_1")).hasMessageContaining("--run-id");
    assertThatThrownBy(() -> parse("--seed", "x"))
        .hasMessageContaining("--seed must be a whole number");
    assertThatThrownBy(() -> parse("--duration", "-1"))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> parse("--concurrency", "0")).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> parse("--radius-m", "0")).hasMessageContaining("must be positive");
  }

  @Test
  void theHelpNamesEveryModeAndOption() {
    for (String word :
        List.of(
            "demo",
            "load",
            "backfill",
            "chaos",
            "--protocols",
            "--history",
            "--invalid-ratio",
            "--truth",
            "--seed",
            "--gps-noise-m",
            "--gps-jump-ratio",
            "--retry-for",
            "--run-id",
            "--osmand-url",
            "--teltonika-addr",
            "--mqtt-url",
            "--block-m",
            "--summary-file",
            "devices",
            "--connections",
            "--warmup",
            "--window-file")) {
      assertThat(SimulatorOptions.USAGE).contains(word);
    }
  }
}
