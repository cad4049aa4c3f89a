package io.fleetline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.deploy.Manifests.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chart's pods configure the services with names and ports the services really use. */
class ChartConfigurationTest {

  static final Map<String, String> MODULES =
      Map.of(
          "fleetline-fleet-api", "fleet-api",
          "fleetline-ingest", "ingest-service",
          "fleetline-routing", "routing-service",
          "fleetline-analytics", "analytics-service");

  /** Variables the chart defines only for Kubernetes to expand into another variable's value. */
  static final Set<String> INTERMEDIATE =
      Set.of("FLEETLINE_KAFKA_SASL_USERNAME", "FLEETLINE_KAFKA_SASL_PASSWORD");

  @Test
  void everyEnvironmentVariableBindsToARealPropertyOfItsService() {
    for (Manifests manifests :
        List.of(HelmChartTest.renderDefaults(), HelmChartTest.renderWith("production.yaml"))) {
      for (Node deployment : manifests.ofKind("Deployment")) {
        ServiceConfiguration config =
            ServiceConfiguration.of(MODULES.get(deployment.text("metadata.name")));
        for (Node env : HelmChartTest.container(deployment).get("env").list()) {
          String name = env.text("name");
          if (!INTERMEDIATE.contains(name)) {
            assertThat(config.understands(name)).as("%s understands %s", config, name).isTrue();
          }
        }
      }
    }
  }

  @Test
  void containerPortsAreThePortsTheServicesListenOn() {
    for (Node deployment : HelmChartTest.renderDefaults().ofKind("Deployment")) {
      ServiceConfiguration config =
          ServiceConfiguration.of(MODULES.get(deployment.text("metadata.name")));
      Node container = HelmChartTest.container(deployment);
      Map<String, String> env = values(container);
      Map<String, Integer> ports = new HashMap<>();
      container
          .get("ports")
          .list()
          .forEach(p -> ports.put(p.text("name"), (Integer) p.get("containerPort").value()));

      assertThat(ports.get("http"))
          .as(config.toString())
          .isEqualTo(Integer.parseInt(config.effective("server.port", Map.of())))
          .isEqualTo(Integer.parseInt(config.effective("server.port", env)));
      assertThat(ports.get("management"))
          .as(config.toString())
          .isEqualTo(9090)
          .isEqualTo(Integer.parseInt(config.effective("management.server.port", env)));
      if (ports.containsKey("osmand")) {
        assertThat(ports.get("osmand"))
            .isEqualTo(Integer.parseInt(config.effective("fleetline.ingest.osmand.port", env)))
            .isEqualTo(5055);
        assertThat(ports.get("teltonika"))
            .isEqualTo(Integer.parseInt(config.effective("fleetline.ingest.teltonika.port", env)))
            .isEqualTo(5027);
        assertThat(ports.get("coap"))
            .isEqualTo(Integer.parseInt(config.effective("fleetline.ingest.coap.port", env)))
            .isEqualTo(5683);
        assertThat(ports.get("coaps"))
            .isEqualTo(Integer.parseInt(config.effective("fleetline.ingest.coap.dtls-port", env)))
            .isEqualTo(5684);
      }
    }
  }

  @Test
  void producersAndConsumersAgreeOnTopicNames() {
    Manifests manifests = HelmChartTest.renderWith("production.yaml");
    Map<String, String> ingest = values(container(manifests, "fleetline-ingest"));
    Map<String, String> routing = values(container(manifests, "fleetline-routing"));
    Map<String, String> api = values(container(manifests, "fleetline-fleet-api"));

    assertThat(
            ServiceConfiguration.of("routing-service")
                .effective("fleetline.routing.pings-topic", routing))
        .isEqualTo(
            ServiceConfiguration.of("ingest-service")
                .effective("fleetline.ingest.topics.pings", ingest));
    assertThat(ServiceConfiguration.of("fleet-api").effective("fleetline.api.devices-topic", api))
        .isEqualTo(
            ServiceConfiguration.of("ingest-service")
                .effective("fleetline.ingest.topics.devices", ingest));
  }

  private static Node container(Manifests manifests, String deployment) {
    return HelmChartTest.container(manifests.named("Deployment", deployment));
  }

  private static Map<String, String> values(Node container) {
    Map<String, String> values = new HashMap<>();
    for (Node env : container.get("env").list()) {
      if (env.get("value").exists()) {
        values.put(env.text("name"), env.text("value"));
      }
    }
    return values;
  }
}
