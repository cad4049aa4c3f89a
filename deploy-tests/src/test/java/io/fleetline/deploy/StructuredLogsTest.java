package io.fleetline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code FLEETLINE_LOG_FORMAT}, as the chart and the compose file set it, switches each real
 * service jar between Spring Boot's structured JSON console logs and plain text. Only the first log
 * line is read, which every service writes before it reaches for Kafka or the database.
 */
class StructuredLogsTest {

  static final Duration FIRST_LINE = Duration.ofSeconds(90);

  @ParameterizedTest
  @ValueSource(strings = {"api", "ingest", "routing"})
  void ecsFormatWritesOneJsonObjectPerLine(String service) throws Exception {
    String line = firstLogLine(service, "ecs");

    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("@timestamp").isMissingNode()).as(line).isFalse();
    assertThat(json.path("log").path("level").asString()).isEqualTo("INFO");
    assertThat(json.path("message").asString()).startsWith("Starting ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "ingest", "routing"})
  void emptyFormatKeepsPlainText(String service) throws Exception {
    String line = firstLogLine(service, "");

    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\S+\\s+INFO .*Starting .*");
  }

  private static String firstLogLine(String service, String format) throws Exception {
    Path jar = Path.of(System.getProperty("fleetline.jar." + service));
    assertThat(jar).as("build the service jars first (./mvnw package)").exists();
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString())
            .redirectErrorStream(true);
    builder
        .environment()
        .putAll(
            Map.of(
                "FLEETLINE_LOG_FORMAT", format,
                "SERVER_PORT", "0",
                "FLEETLINE_INGEST_OSMAND_PORT", "0",
                "FLEETLINE_INGEST_TELTONIKA_PORT", "0",
                "FLEETLINE_INGEST_COAP_PORT", "0",
                "FLEETLINE_INGEST_COAP_DTLS_PORT", "0",
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:1/none"));
    Process process = builder.start();
    try {
      CompletableFuture<String> first =
          CompletableFuture.supplyAsync(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = out.readLine()) != null) {
                    if (line.contains("Starting ")) {
                      return line;
                    }
                  }
                  return "(no log line)";
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      return first.get(FIRST_LINE.toSeconds(), TimeUnit.SECONDS);
    } finally {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
