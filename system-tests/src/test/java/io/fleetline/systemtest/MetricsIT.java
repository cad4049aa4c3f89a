package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.common.FleetlineJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboard against the real services: after a device's pings went through the
 * platform, every metric the dashboard queries is in some service's {@code /actuator/prometheus}.
 */
class MetricsIT {

  static final Path DASHBOARD = Path.of("../deploy/grafana/fleetline.json");

  /** A metric selector in a PromQL expression: a name directly followed by its label matchers. */
  static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.shared();
  }

  @Test
  void everyMetricTheDashboardQueriesIsExposedByTheServices() throws Exception {
    ApiClient api = new ApiClient(platform.api.baseUrl());
    ApiClient ingest = new ApiClient(platform.ingest.baseUrl());
    ApiClient routing = new ApiClient(platform.routing.baseUrl());
    String token = platform.newFleetToken("Metrics");
    JsonNode vehicle =
        api.post(
                "/api/v1/vehicles",
                token,
                "{\"name\":\"Metrics van\",\"devices\":[{\"protocol\":\"http\",\"identifier\":\"metrics-1\"}]}")
            .json();
    String vehicleId = vehicle.get("id").stringValue();
    String deviceToken = vehicle.get("devices").get(0).get("token").stringValue();
    String now = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS).toString();

    await("ingest knows the device")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ingest
                        .post(
                            "/api/v1/pings",
                            deviceToken,
                            "{\"recordedAt\":\"" + now + "\",\"latitude\":52.5,\"longitude\":13.4}")
                        .status()
                    == 202);
    assertThat(
            ingest
                .post(
                    "/api/v1/pings",
                    deviceToken,
                    "{\"recordedAt\":\"" + now + "\",\"latitude\":123.0,\"longitude\":13.4}")
                .status())
        .as("an out-of-range latitude is rejected")
        .isEqualTo(400);
    await("the ping is stored")
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/api/v1/vehicles/" + vehicleId + "/position", token).status() == 200);

    Set<String> dashboardMetrics = dashboardMetrics();
    await("every dashboard metric is exposed")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Set<String> exposed = new TreeSet<>();
              for (ApiClient service : new ApiClient[] {api, ingest, routing}) {
                exposed.addAll(sampleNames(service.get("/actuator/prometheus", null).body()));
              }
              assertThat(exposed).containsAll(dashboardMetrics);
            });

    String ingestMetrics = ingest.get("/actuator/prometheus", null).body();
    assertThat(ingestMetrics)
        .containsPattern("fleetline_ingest_pings_accepted_total\\{[^}]*protocol=\"http\"")
        .containsPattern(
            "fleetline_ingest_pings_rejected_total\\{[^}]*protocol=\"http\"[^}]*reason=\"[a-z_]+\"");
  }

  private static Set<String> dashboardMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    JsonNode dashboard = FleetlineJson.mapper().readTree(Files.readString(DASHBOARD));
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = SELECTOR.matcher(target.path("expr").asString());
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    assertThat(names).contains("fleetline_ingest_pings_accepted_total");
    return names;
  }

  /** The sample names of a Prometheus text exposition, e.g. {@code jvm_memory_used_bytes}. */
  private static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }
}
