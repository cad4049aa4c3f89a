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
    assertThatThrownBy(
            () ->
                SimulatorOptions.parse(
                    List.of(
                        "--vehicles",
                        "0",
                        "--api-url",
                        "a",
                        "--ingest-url",
                        "b",
                        "--client-id",
                        "c",
                        "--client-secret",
                        "d"),
                    Map.of()))
        .hasMessageContaining("--vehicles must be positive");
  }

  @Test
  void loadModeTakesRateBatchAndFractionalIntervals() throws Exception {
    SimulatorOptions options =
        SimulatorOptions.parse(
            List.of(
                "load",
                "--api-url",
                "a",
                "--ingest-url",
                "b",
                "--client-id",
                "c",
                "--client-secret",
                "d",
                "--rate",
                "50000",
                "--batch",
                "500",
                "--interval",
                "0.2",
                "--summary-file",
                "target/x.json"),
            Map.of());

    assertThat(options.mode()).isEqualTo("load");
    assertThat(options.ratePerSecond()).isEqualTo(50_000);
    assertThat(options.batch()).isEqualTo(500);
    assertThat(options.interval()).isEqualTo(Duration.ofMillis(200));
    assertThat(options.summaryFile()).isEqualTo("target/x.json");
    assertThatThrownBy(
            () ->
                SimulatorOptions.parse(
                    List.of(
                        "load",
                        "--api-url",
                        "a",
                        "--ingest-url",
                        "b",
                        "--client-id",
                        "c",
                        "--client-secret",
                        "d",
                        "--batch",
                        "1001"),
                    Map.of()))
        .hasMessageContaining("at most 1000");
  }
}
