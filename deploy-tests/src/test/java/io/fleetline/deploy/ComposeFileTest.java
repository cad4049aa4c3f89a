package io.fleetline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.deploy.Manifests.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** docker-compose.yml, parsed and checked against the services' own configuration. */
class ComposeFileTest {

  static final Map<String, String> MODULES =
      Map.of(
          "fleet-api", "fleet-api",
          "ingest-service", "ingest-service",
          "routing-service", "routing-service",
          "analytics-service", "analytics-service");

  final Node compose =
      new Node(
          new Yaml(new SafeConstructor(new LoaderOptions()))
              .load(Repository.read(Repository.COMPOSE)));
  final Map<String, Object> services = compose.get("services").map();

  @Test
  void everyImageIsPinnedToAVersion() {
    for (String name : services.keySet()) {
      String image = service(name).text("image");
      assertThat(image)
          .as(name)
          .isNotNull()
          .matches("[^:]+:[^:]*\\d[^:]*")
          .doesNotEndWith(":latest");
    }
  }

  @Test
  void everyServiceHasAHealthCheckAndAMemoryLimit() {
    for (String name : services.keySet()) {
      assertThat(service(name).get("healthcheck.test").list()).as(name).isNotEmpty();
      assertThat(service(name).text("mem_limit")).as(name).matches("\\d+[mg]");
    }
  }

  @Test
  void dependenciesWaitUntilTheDependencyIsHealthy() {
    for (String name : services.keySet()) {
      for (var dependency : service(name).get("depends_on").map().entrySet()) {
        assertThat(new Node(dependency.getValue()).text("condition"))
            .as("%s waits for %s", name, dependency.getKey())
            .isEqualTo("service_healthy");
        assertThat(services).containsKey(dependency.getKey());
        assertThat(service(dependency.getKey()).get("healthcheck").exists()).isTrue();
      }
    }
  }

  @Test
  void theServicesHealthCheckUsesTheScriptBakedIntoTheirImage() {
    String dockerfile = Repository.read(Repository.DOCKERFILE);
    for (String name : MODULES.keySet()) {
      List<Object> test =
          service(name).get("healthcheck.test").list().stream().map(Node::value).toList();
      assertThat(test).as(name).startsWith("CMD", "/app/healthcheck.sh");
      assertThat(test.get(2)).isEqualTo("/actuator/health/readiness");
      assertThat(dockerfile).contains("/app/healthcheck.sh");
      assertThat(service(name).text("build.dockerfile")).isEqualTo("deploy/docker/Dockerfile");
      assertThat(service(name).text("build.args.SERVICE")).isEqualTo(MODULES.get(name));
    }
  }

  @Test
  void everyEnvironmentVariableBindsToARealPropertyOfItsService() {
    for (var entry : MODULES.entrySet()) {
      ServiceConfiguration config = ServiceConfiguration.of(entry.getValue());
      for (String variable : environment(entry.getKey()).keySet()) {
        assertThat(config.understands(variable))
            .as("%s understands %s", entry.getKey(), variable)
            .isTrue();
      }
    }
    assertThat(environment("ingest-service"))
        .as("ingest never touches the database")
        .doesNotContainKeys(
            "FLEETLINE_DB_URL",
            "FLEETLINE_DB_PASSWORD",
            "SPRING_DATASOURCE_URL",
            "SPRING_DATASOURCE_PASSWORD");
  }

  @Test
  void publishedPortsAreThePortsTheServicesListenOn() {
    assertThat(containerPorts("fleet-api")).containsExactly(port("fleet-api", "server.port"));
    assertThat(containerPorts("routing-service"))
        .containsExactly(port("routing-service", "server.port"));
    assertThat(containerPorts("ingest-service"))
        .containsExactly(
            port("ingest-service", "server.port"),
            port("ingest-service", "fleetline.ingest.osmand.port"),
            port("ingest-service", "fleetline.ingest.teltonika.port"),
            port("ingest-service", "fleetline.ingest.coap.port"),
            port("ingest-service", "fleetline.ingest.coap.dtls-port"));
    assertThat(containerPorts("ingest-service")).containsExactly(8081, 5055, 5027, 5683, 5684);
  }

  @Test
  void producersAndConsumersAgreeOnTopicNames() {
    ServiceConfiguration ingest = ServiceConfiguration.of("ingest-service");
    ServiceConfiguration routing = ServiceConfiguration.of("routing-service");
    ServiceConfiguration api = ServiceConfiguration.of("fleet-api");
    Map<String, String> ingestEnv = environment("ingest-service");

    assertThat(routing.effective("fleetline.routing.pings-topic", environment("routing-service")))
        .isEqualTo(ingest.effective("fleetline.ingest.topics.pings", ingestEnv))
        .isEqualTo("fleetline.pings");
    assertThat(api.effective("fleetline.api.devices-topic", environment("fleet-api")))
        .isEqualTo(ingest.effective("fleetline.ingest.topics.devices", ingestEnv))
        .isEqualTo("fleetline.devices");
    assertThat(ingest.effective("fleetline.ingest.topics.rejected", ingestEnv))
        .isEqualTo("fleetline.pings.rejected");
  }

  @Test
  void servicesReachKafkaAndPostgisByTheirComposeNames() {
    for (String name : MODULES.keySet()) {
      assertThat(environment(name).get("FLEETLINE_KAFKA_BOOTSTRAP"))
          .as(name)
          .isEqualTo("kafka:9092");
    }
    assertThat(service("kafka").text("environment.KAFKA_ADVERTISED_LISTENERS"))
        .contains("PLAINTEXT://kafka:9092");
    for (String name : List.of("fleet-api", "routing-service", "analytics-service")) {
      assertThat(environment(name).get("FLEETLINE_DB_URL"))
          .startsWith("jdbc:postgresql://postgis:5432/")
          .endsWith("/" + service("postgis").text("environment.POSTGRES_DB"));
    }
    assertThat(environment("ingest-service").get("FLEETLINE_INGEST_MQTT_URL"))
        .isEqualTo("tcp://mosquitto:1883");
  }

  @Test
  void noSecretIsWrittenIntoTheFile() {
    assertThat(environment("fleet-api").get("FLEETLINE_ADMIN_CLIENT_SECRET"))
        .startsWith("${FLEETLINE_ADMIN_CLIENT_SECRET:?");
    assertThat(environment("fleet-api").get("FLEETLINE_AUTH_SIGNING_KEY"))
        .isEqualTo("file:/run/secrets/jwt-signing-key");
    assertThat(service("fleet-api").get("secrets").list())
        .map(Node::value)
        .contains("jwt-signing-key");
  }

  @Test
  void theBrokerAdmitsOnlyTheAccountsOfThePasswordFileThatIngestWrites() {
    String broker =
        String.join(
            "\n",
            service("mosquitto").get("command").list().stream()
                .map(n -> String.valueOf(n.value()))
                .toList());
    assertThat(broker)
        .contains("allow_anonymous false")
        .contains("password_file /mosquitto/auth/passwords")
        .contains("pattern write fleetline/devices/%u/pings")
        .contains("message_size_limit")
        .doesNotContain("no-auth");
    assertThat(broker)
        .as("the broker re-reads the file when its contents change, not its reusable inode number")
        .contains("cksum /mosquitto/auth/passwords")
        .contains("kill -HUP")
        .doesNotContain("stat -c %i");
    assertThat(environment("ingest-service").get("FLEETLINE_INGEST_MQTT_PASSWORDFILE"))
        .isEqualTo("/mqtt-auth/passwords");
    assertThat(environment("ingest-service").get("FLEETLINE_INGEST_MQTT_PASSWORD"))
        .startsWith("${FLEETLINE_MQTT_INGEST_PASSWORD:?");
    assertThat(service("ingest-service").get("volumes").list())
        .map(Node::value)
        .contains("mqtt-auth:/mqtt-auth");
    assertThat(service("mosquitto").get("volumes").list())
        .map(Node::value)
        .contains("mqtt-auth:/mosquitto/auth");
  }

  private Node service(String name) {
    return new Node(services.get(name));
  }

  private Map<String, String> environment(String name) {
    Map<String, String> env = new LinkedHashMap<>();
    service(name).get("environment").map().forEach((k, v) -> env.put(k, String.valueOf(v)));
    return env;
  }

  private List<Integer> containerPorts(String name) {
    return service(name).get("ports").list().stream()
        .map(p -> p.value().toString())
        .map(p -> p.replace("/udp", ""))
        .map(p -> Integer.valueOf(p.substring(p.lastIndexOf(':') + 1)))
        .toList();
  }

  private int port(String name, String property) {
    return Integer.parseInt(
        ServiceConfiguration.of(MODULES.get(name)).effective(property, environment(name)));
  }
}
