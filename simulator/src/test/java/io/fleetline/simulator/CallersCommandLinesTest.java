package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command lines that the scripts and the system tests run the simulator with, copied from them
 * with their shell variables at their defaults, give the settings they gave before the command line
 * had subcommands. The expected settings are what the earlier parser made of the same lines, field
 * by field; where it filled in {@code --history} or {@code --warmup} for a mode that never reads
 * them, a mode that does not take them now carries zero.
 */
class CallersCommandLinesTest {

  @TempDir static Path dir;

  // Credentials are made up per run; the demo one carries a '$' so the env file's quoting counts.
  static final String ADMIN_SECRET = "adm-" + UUID.randomUUID();
  static final String DEMO_SECRET = "demo$" + UUID.randomUUID();
  static final String FLEET_SECRET = "fleet-" + UUID.randomUUID();

  static Path envFile;

  /** What {@code deploy/local/up.sh} writes and bench.sh and up.sh pass with --env-file. */
  @BeforeAll
  static void localStackEnvFile() throws Exception {
    envFile = dir.resolve("fleetline.env");
    Files.writeString(
        envFile,
        """
        # Fleetline local stack, written by deploy/local/up.sh at 2026-12-03T12:00:00Z
        FLEETLINE_API_URL=http://127.0.0.1:8080
        FLEETLINE_TOKEN_URL=http://127.0.0.1:8080/oauth2/token
        FLEETLINE_ADMIN_CLIENT_ID=platform-admin
        FLEETLINE_ADMIN_CLIENT_SECRET='%s'
        FLEETLINE_DEMO_FLEET_ID=0b6f3c52-6c1e-4d8e-9a57-0d3f2c1b9a10
        FLEETLINE_DEMO_CLIENT_ID=flc_demo
        FLEETLINE_DEMO_CLIENT_SECRET='%s'
        FLEETLINE_INGEST_URL=http://127.0.0.1:8081
        FLEETLINE_OSMAND_URL=http://127.0.0.1:5055
        FLEETLINE_TELTONIKA_ADDR=127.0.0.1:5027
        FLEETLINE_MQTT_URL=tcp://127.0.0.1:1883
        FLEETLINE_KAFKA_BOOTSTRAP=127.0.0.1:9092
        FLEETLINE_DB_URL=jdbc:postgresql://127.0.0.1:5432/fleetline
        """
            .formatted(ADMIN_SECRET, DEMO_SECRET));
  }

  /** What the system tests' platform hands the simulator in place of the environment. */
  static final Map<String, String> SYSTEM_TEST_SETTINGS =
      Map.of(
          "FLEETLINE_API_URL", "http://127.0.0.1:18080",
          "FLEETLINE_INGEST_URL", "http://127.0.0.1:18081",
          "FLEETLINE_OSMAND_URL", "http://127.0.0.1:15055",
          "FLEETLINE_TELTONIKA_ADDR", "127.0.0.1:15027",
          "FLEETLINE_MQTT_URL", "tcp://127.0.0.1:11883",
          "FLEETLINE_KAFKA_BOOTSTRAP", "127.0.0.1:19092",
          "FLEETLINE_DEMO_CLIENT_ID", "flc_fleet",
          "FLEETLINE_DEMO_CLIENT_SECRET", FLEET_SECRET);

  /** deploy/local/bench.sh, load mode with its defaults. */
  @Test
  void benchLoadMode() throws Exception {
    assertSettings(
        bench(
            "load --vehicles 1000 --rate 10000 --duration 60 --batch 100 --interval 1"
                + " --env-file ENV --summary-file target/bench/load.json"
                + " --window-file target/bench/window"),
        Map.of(),
        """
        SimulatorOptions[mode=load,
        apiUrl=http://127.0.0.1:8080,
        ingestUrl=http://127.0.0.1:8081,
        osmandUrl=null,
        teltonikaAddr=null,
        mqttUrl=null,
        clientId=flc_demo,
        clientSecret=DEMO_SECRET,
        vehicles=1000,
        protocols=http=100.0,
        interval=PT1S,
        centreLat=52.52,
        centreLon=13.405,
        radiusM=3000.0,
        blockM=250.0,
        duration=PT1M,
        history=PT0S,
        seed=RANDOM,
        runId=RANDOM,
        ratePerSecond=10000.0,
        batch=100,
        concurrency=16,
        invalidRatio=0.0,
        gpsNoiseM=4.0,
        gpsJumpRatio=0.002,
        retryFor=PT30S,
        truthDir=null,
        summaryFile=target/bench/load.json,
        connections=0,
        warmup=PT0S,
        windowFile=target/bench/window,
        coapUrl=null]""");
  }

  /** deploy/local/bench.sh --devices-mode, each device on its own connection. */
  @Test
  void benchDevicesModeEachDeviceOnItsOwnConnection() throws Exception {
    assertSettings(
        bench(
            "devices --vehicles 1000 --protocols osmand=1 --duration 60 --warmup 20 --interval 1"
                + " --env-file ENV --summary-file target/bench/devices.json"
                + " --window-file target/bench/window"),
        Map.of(),
        """
        SimulatorOptions[mode=devices,
        apiUrl=http://127.0.0.1:8080,
        ingestUrl=http://127.0.0.1:8081,
        osmandUrl=http://127.0.0.1:5055,
        teltonikaAddr=null,
        mqttUrl=null,
        clientId=flc_demo,
        clientSecret=DEMO_SECRET,
        vehicles=1000,
        protocols=osmand=1.0,
        interval=PT1S,
        centreLat=52.52,
        centreLon=13.405,
        radiusM=3000.0,
        blockM=250.0,
        duration=PT1M,
        history=PT0S,
        seed=RANDOM,
        runId=RANDOM,
        ratePerSecond=0.0,
        batch=100,
        concurrency=16,
        invalidRatio=0.0,
        gpsNoiseM=4.0,
        gpsJumpRatio=0.002,
        retryFor=PT30S,
        truthDir=null,
        summaryFile=target/bench/devices.json,
        connections=0,
        warmup=PT20S,
        windowFile=target/bench/window,
        coapUrl=null]""");
  }

  /** deploy/local/bench.sh --devices-mode --connections 16, the closed loop. */
  @Test
  void benchDevicesModeClosedLoop() throws Exception {
    assertSettings(
        bench(
            "devices --vehicles 1000 --protocols osmand=1 --duration 60 --warmup 20"
                + " --connections 16 --env-file ENV --summary-file target/bench/devices.json"
                + " --window-file target/bench/window"),
        Map.of(),
        """
        SimulatorOptions[mode=devices,
        apiUrl=http://127.0.0.1:8080,
        ingestUrl=http://127.0.0.1:8081,
        osmandUrl=http://127.0.0.1:5055,
        teltonikaAddr=null,
        mqttUrl=null,
        clientId=flc_demo,
        clientSecret=DEMO_SECRET,
        vehicles=1000,
        protocols=osmand=1.0,
        interval=PT5S,
        centreLat=52.52,
        centreLon=13.405,
        radiusM=3000.0,
        blockM=250.0,
        duration=PT1M,
        history=PT0S,
        seed=RANDOM,
        runId=RANDOM,
        ratePerSecond=0.0,
        batch=100,
        concurrency=16,
        invalidRatio=0.0,
        gpsNoiseM=4.0,
        gpsJumpRatio=0.002,
        retryFor=PT30S,
        truthDir=null,
        summaryFile=target/bench/devices.json,
        connections=16,
        warmup=PT20S,
        windowFile=target/bench/window,
        coapUrl=null]""");
  }

  /** bench.sh rebuilds a simulator whose help does not name --window-file. */
  @Test
  void benchFindsTheWindowFileInTheDevicesModesHelp() throws Exception {
    StringWriter out = new StringWriter();
    int exitCode =
        SimulatorCommand.execute(
            List.of("devices", "--help"),
            Map.of(),
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            options -> {});
    assertThat(exitCode).isZero();
    assertThat(out.toString()).contains("--window-file");
  }

  /** deploy/local/up.sh --demo N. */
  @Test
  void upDemo() throws Exception {
    assertSettings(
        bench(
            "demo --vehicles 20 --protocols http=40,osmand=20,mqtt=20,teltonika=20 --interval 5"
                + " --env-file ENV"),
        Map.of(),
        """
        SimulatorOptions[mode=demo,
        apiUrl=http://127.0.0.1:8080,
        ingestUrl=http://127.0.0.1:8081,
        osmandUrl=http://127.0.0.1:5055,
        teltonikaAddr=127.0.0.1:5027,
        mqttUrl=tcp://127.0.0.1:1883,
        clientId=flc_demo,
        clientSecret=DEMO_SECRET,
        vehicles=20,
        protocols=http=40.0,osmand=20.0,mqtt=20.0,teltonika=20.0,
        interval=PT5S,
        centreLat=52.52,
        centreLon=13.405,
        radiusM=3000.0,
        blockM=250.0,
        duration=PT0S,
        history=PT0S,
        seed=RANDOM,
        runId=RANDOM,
        ratePerSecond=0.0,
        batch=100,
        concurrency=16,
        invalidRatio=0.0,
        gpsNoiseM=4.0,
        gpsJumpRatio=0.002,
        retryFor=PT30S,
        truthDir=null,
        summaryFile=null,
        connections=0,
        warmup=PT0S,
        windowFile=null,
        coapUrl=null]""");
  }

  /** GroundTruthIT's chaos run. */
  @Test
  void groundTruthChaos() throws Exception {
    assertSettings(
        "chaos --vehicles 8 --protocols http=1,osmand=1,mqtt=1,teltonika=1 --history 30m"
            + " --interval 5 --invalid-ratio 0.1 --batch 50 --seed 20261126"
            + " --truth target/truth/chaos-1",
        SYSTEM_TEST_SETTINGS,
        """
        SimulatorOptions[mode=chaos,
        apiUrl=http://127.0.0.1:18080,
        ingestUrl=http://127.0.0.1:18081,
        osmandUrl=http://127.0.0.1:15055,
        teltonikaAddr=127.0.0.1:15027,
        mqttUrl=tcp://127.0.0.1:11883,
        clientId=flc_fleet,
        clientSecret=FLEET_SECRET,
        vehicles=8,
        protocols=http=1.0,osmand=1.0,mqtt=1.0,teltonika=1.0,
        interval=PT5S,
        centreLat=52.52,
        centreLon=13.405,
        radiusM=3000.0,
        blockM=250.0,
        duration=PT0S,
        history=PT30M,
        seed=20261126,
        runId=RANDOM,
        ratePerSecond=0.0,
        batch=50,
        concurrency=16,
        invalidRatio=0.1,
        gpsNoiseM=4.0,
        gpsJumpRatio=0.002,
        retryFor=PT30S,
        truthDir=target/truth/chaos-1,
        summaryFile=null,
        connections=0,
        warmup=PT0S,
        windowFile=null,
        coapUrl=null]""");
  }

  /** GroundTruthIT's backfill run. */
  @Test
  void groundTruthBackfill() throws Exception {
    assertSettings(
        "backfill --vehicles 8 --protocols http=1,osmand=1,mqtt=1,teltonika=1 --history 2h"
            + " --interval 10 --batch 200 --seed 7 --truth target/truth/backfill-1",
        SYSTEM_TEST_SETTINGS,
        """
        SimulatorOptions[mode=backfill,
        apiUrl=http://127.0.0.1:18080,
        ingestUrl=http://127.0.0.1:18081,
        osmandUrl=http://127.0.0.1:15055,
        teltonikaAddr=127.0.0.1:15027,
        mqttUrl=tcp://127.0.0.1:11883,
        clientId=flc_fleet,
        clientSecret=FLEET_SECRET,
        vehicles=8,
        protocols=http=1.0,osmand=1.0,mqtt=1.0,teltonika=1.0,
        interval=PT10S,
        centreLat=52.52,
        centreLon=13.405,
        radiusM=3000.0,
        blockM=250.0,
        duration=PT0S,
        history=PT2H,
        seed=7,
        runId=RANDOM,
        ratePerSecond=0.0,
        batch=200,
        concurrency=16,
        invalidRatio=0.0,
        gpsNoiseM=4.0,
        gpsJumpRatio=0.002,
        retryFor=PT30S,
        truthDir=target/truth/backfill-1,
        summaryFile=null,
        connections=0,
        warmup=PT0S,
        windowFile=null,
        coapUrl=null]""");
  }

  /** CrashRecoveryIT's load run. */
  @Test
  void crashRecoveryLoad() throws Exception {
    assertSettings(
        "load --vehicles 16 --protocols http=1,osmand=1,mqtt=1,teltonika=1 --rate 150"
            + " --duration 150 --interval 5 --batch 10 --concurrency 8 --seed 11 --retry-for 300"
            + " --truth target/truth/crash-recovery-1",
        SYSTEM_TEST_SETTINGS,
        """
        SimulatorOptions[mode=load,
        apiUrl=http://127.0.0.1:18080,
        ingestUrl=http://127.0.0.1:18081,
        osmandUrl=http://127.0.0.1:15055,
        teltonikaAddr=127.0.0.1:15027,
        mqttUrl=tcp://127.0.0.1:11883,
        clientId=flc_fleet,
        clientSecret=FLEET_SECRET,
        vehicles=16,
        protocols=http=1.0,osmand=1.0,mqtt=1.0,teltonika=1.0,
        interval=PT5S,
        centreLat=52.52,
        centreLon=13.405,
        radiusM=3000.0,
        blockM=250.0,
        duration=PT2M30S,
        history=PT0S,
        seed=11,
        runId=RANDOM,
        ratePerSecond=150.0,
        batch=10,
        concurrency=8,
        invalidRatio=0.0,
        gpsNoiseM=4.0,
        gpsJumpRatio=0.002,
        retryFor=PT5M,
        truthDir=target/truth/crash-recovery-1,
        summaryFile=null,
        connections=0,
        warmup=PT0S,
        windowFile=null,
        coapUrl=null]""");
  }

  /** AdversarialIT's load run. */
  @Test
  void adversarialLoad() throws Exception {
    assertSettings(
        "load --vehicles 8 --protocols http=1,osmand=1,mqtt=1,teltonika=1 --rate 40"
            + " --duration 120 --interval 5 --batch 10 --concurrency 4 --seed 41 --retry-for 240"
            + " --truth target/truth/adversarial-1",
        SYSTEM_TEST_SETTINGS,
        """
        SimulatorOptions[mode=load,
        apiUrl=http://127.0.0.1:18080,
        ingestUrl=http://127.0.0.1:18081,
        osmandUrl=http://127.0.0.1:15055,
        teltonikaAddr=127.0.0.1:15027,
        mqttUrl=tcp://127.0.0.1:11883,
        clientId=flc_fleet,
        clientSecret=FLEET_SECRET,
        vehicles=8,
        protocols=http=1.0,osmand=1.0,mqtt=1.0,teltonika=1.0,
        interval=PT5S,
        centreLat=52.52,
        centreLon=13.405,
        radiusM=3000.0,
        blockM=250.0,
        duration=PT2M,
        history=PT0S,
        seed=41,
        runId=RANDOM,
        ratePerSecond=40.0,
        batch=10,
        concurrency=4,
        invalidRatio=0.0,
        gpsNoiseM=4.0,
        gpsJumpRatio=0.002,
        retryFor=PT4M,
        truthDir=target/truth/adversarial-1,
        summaryFile=null,
        connections=0,
        warmup=PT0S,
        windowFile=null,
        coapUrl=null]""");
  }

  /** A script's command line, with its env file where it says ENV. */
  private static String bench(String commandLine) {
    return commandLine.replace("ENV", envFile.toString());
  }

  /**
   * {@code commandLine} gives {@code expected}, one field a line; RANDOM stands for a seed or run
   * identifier that the command line leaves to chance.
   */
  private static void assertSettings(
      String commandLine, Map<String, String> environment, String expected) throws Exception {
    SimulatorOptions options =
        SimulatorCommand.parse(Arrays.asList(commandLine.split(" ")), environment);
    String actual =
        options
            .toString()
            .replace(", ", ",\n")
            .replaceAll(
                "(?m)^seed=-?\\d+,$", expected.contains("seed=RANDOM") ? "seed=RANDOM," : "$0")
            .replaceAll("(?m)^runId=[a-z0-9]+,$", "runId=RANDOM,");
    String wanted =
        expected.replace("DEMO_SECRET", DEMO_SECRET).replace("FLEET_SECRET", FLEET_SECRET);
    assertThat(actual.lines()).containsExactlyElementsOf(wanted.lines().toList());
  }
}
