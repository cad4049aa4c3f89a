package io.fleetline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fleetline.deploy.Manifests.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart, linted and rendered by the real Helm engine, its manifests parsed and checked.
 */
class HelmChartTest {

  static final Set<String> DEPLOYMENTS =
      Set.of("fleetline-fleet-api", "fleetline-ingest", "fleetline-routing", "fleetline-analytics");
  static final Path VALUES = Path.of("src/test/resources/values");

  static Manifests render(UnaryOperator<TemplateCommand> values) {
    return render(Repository.CHART, values);
  }

  static Manifests render(Path chart, UnaryOperator<TemplateCommand> values) {
    TemplateCommand command =
        new Helm(chart)
            .template()
            .withName("fleetline")
            .withNamespace("telematics")
            .withKubeVersion("1.31.0");
    return Manifests.parse(values.apply(command).call());
  }

  static Manifests renderDefaults() {
    return render(c -> c);
  }

  static Manifests renderWith(String valuesFile) {
    return render(c -> c.withValuesFile(VALUES.resolve(valuesFile)));
  }

  static List<Manifests> everyValueSet() {
    return List.of(
        renderDefaults(),
        renderWith("minimal.yaml"),
        renderWith("production.yaml"),
        ScaleOutChartTest.renderScaleOut(),
        HookRevealingChart.render(Map.of()));
  }

  @Test
  void chartPassesStrictLint() {
    LintResult result = new Helm(Repository.CHART).lint().strict().call();

    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
  }

  @Test
  void everyDeploymentHasProbesResourcesAndAHardenedSecurityContext() {
    for (Manifests manifests : everyValueSet()) {
      List<Node> deployments = manifests.ofKind("Deployment");
      assertThat(deployments).map(d -> d.text("metadata.name")).hasSameElementsAs(DEPLOYMENTS);
      for (Node deployment : deployments) {
        Node pod = deployment.get("spec.template.spec");
        assertThat(pod.get("securityContext.runAsNonRoot").value()).isEqualTo(true);
        assertThat(pod.get("automountServiceAccountToken").value()).isEqualTo(false);
        for (Node container : pod.get("containers").list()) {
          String name = container.text("name");
          assertThat(container.text("livenessProbe.httpGet.path"))
              .as(name)
              .isEqualTo("/actuator/health/liveness");
          assertThat(container.text("readinessProbe.httpGet.path"))
              .as(name)
              .isEqualTo("/actuator/health/readiness");
          assertThat(container.get("startupProbe").exists()).as(name).isTrue();
          assertThat(container.text("resources.requests.memory")).as(name).isNotBlank();
          assertThat(container.text("resources.requests.cpu")).as(name).isNotBlank();
          assertThat(container.text("resources.limits.memory")).as(name).isNotBlank();
          assertThat(container.get("securityContext.readOnlyRootFilesystem").value())
              .as(name)
              .isEqualTo(true);
          assertThat(container.get("securityContext.allowPrivilegeEscalation").value())
              .as(name)
              .isEqualTo(false);
          assertThat(container.get("securityContext.capabilities.drop").list())
              .map(Node::value)
              .containsExactly("ALL");
          assertThat(container.text("image")).doesNotEndWith(":latest").contains(":");
          assertThat(container.get("volumeMounts").list())
              .as("a writable /tmp beside the read-only root filesystem")
              .anySatisfy(m -> assertThat(m.text("mountPath")).isEqualTo("/tmp"));
        }
      }
    }
  }

  @Test
  void podsSpreadOverZonesAndNodesUnlessSwitchedOff() {
    for (Node deployment : renderDefaults().ofKind("Deployment")) {
      assertThat(deployment.get("spec.template.spec.topologySpreadConstraints").list())
          .map(c -> c.text("topologyKey"))
          .containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
      assertThat(
              deployment
                  .get("spec.template.spec.topologySpreadConstraints")
                  .list()
                  .get(0)
                  .get("labelSelector.matchLabels")
                  .map())
          .isEqualTo(deployment.get("spec.selector.matchLabels").map());
    }
    for (Node deployment : renderWith("minimal.yaml").ofKind("Deployment")) {
      assertThat(deployment.get("spec.template.spec.topologySpreadConstraints").exists()).isFalse();
    }
  }

  @Test
  void credentialsAreOnlyEverReferencedFromExistingSecrets() {
    for (Manifests manifests : everyValueSet()) {
      assertThat(manifests.ofKind("Secret")).as("the chart creates no Secret").isEmpty();
      for (Node container : containers(manifests)) {
        for (Node env : container.get("env").list()) {
          String name = env.text("name");
          if (name.matches(".*(PASSWORD|SECRET|DATASOURCE_USERNAME|DB_USER|FLYWAY_USER)$")) {
            assertThat(env.get("valueFrom.secretKeyRef.name").exists())
                .as("%s of %s comes from a Secret", name, container.text("name"))
                .isTrue();
            assertThat(env.get("value").exists()).as(name).isFalse();
          }
        }
      }
    }
  }

  @Test
  void kafkaSaslPasswordStaysInItsSecretAndTheCaIsMounted() {
    Manifests manifests = renderWith("production.yaml");
    Node ingest = container(manifests.named("Deployment", "fleetline-ingest"));

    Map<String, Node> env = env(ingest);
    assertThat(env.get("SPRING_KAFKA_SECURITY_PROTOCOL").text("value")).isEqualTo("SASL_SSL");
    assertThat(env.get("FLEETLINE_KAFKA_SASL_PASSWORD").text("valueFrom.secretKeyRef.name"))
        .isEqualTo("fleetline-kafka-user");
    assertThat(env.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG").text("value"))
        .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required")
        .contains("password=\"$(FLEETLINE_KAFKA_SASL_PASSWORD)\"");
    // Kubernetes expands $(VAR) only from variables defined earlier in the list.
    List<String> order = ingest.get("env").list().stream().map(e -> e.text("name")).toList();
    assertThat(order.indexOf("FLEETLINE_KAFKA_SASL_PASSWORD"))
        .isLessThan(order.indexOf("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"));
    assertThat(env.get("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION").text("value"))
        .isEqualTo("file:/etc/fleetline/kafka-ca/ca.crt");
    assertThat(manifests.named("Deployment", "fleetline-ingest").get("spec.template.spec.volumes"))
        .satisfies(
            v ->
                assertThat(v.list())
                    .anySatisfy(
                        vol ->
                            assertThat(vol.text("secret.secretName"))
                                .isEqualTo("fleet-kafka-cluster-ca-cert")));
  }

  @Test
  void fleetApiReadsItsSigningKeyFromAMountedSecret() {
    Node deployment = renderDefaults().named("Deployment", "fleetline-fleet-api");
    Map<String, Node> env = env(container(deployment));

    assertThat(env.get("FLEETLINE_AUTH_SIGNING_KEY").text("value"))
        .isEqualTo("file:/etc/fleetline/jwt/signing-key.pem");
    assertThat(deployment.get("spec.template.spec.volumes").list())
        .anySatisfy(v -> assertThat(v.text("secret.secretName")).isEqualTo("fleetline-jwt"));
    assertThat(env.get("FLEETLINE_AUTH_ISSUER").text("value"))
        .isEqualTo("http://fleetline-fleet-api.telematics.svc:8080");
    assertThat(
            env(container(renderWith("production.yaml").named("Deployment", "fleetline-fleet-api")))
                .get("FLEETLINE_AUTH_ISSUER")
                .text("value"))
        .isEqualTo("https://api.fleet.example.com");
  }

  @Test
  void migrationRunsAsAPreInstallAndPreUpgradeHookAndTheServicesDoNotMigrate() {
    Manifests manifests = renderDefaults();
    assertThat(manifests.ofKind("Job")).as("helm-java's template leaves hooks out").isEmpty();
    Node job = HookRevealingChart.render(Map.of()).named("Job", "fleetline-migrate");

    Map<String, Object> annotations = job.get("metadata.annotations").map();
    assertThat(annotations.get(HookRevealingChart.HOOK)).isEqualTo("pre-install,pre-upgrade");
    assertThat(annotations.get(HookRevealingChart.HOOK + "-delete-policy").toString())
        .contains("before-hook-creation");
    Node pod = job.get("spec.template.spec");
    assertThat(pod.text("restartPolicy")).isEqualTo("Never");
    Node copy = pod.get("initContainers").list().get(0);
    assertThat(copy.text("image")).isEqualTo("ghcr.io/fleetline/fleet-api:0.1.0");
    assertThat(copy.get("command").list().get(2).value().toString())
        .contains("/app/BOOT-INF/lib/db-*.jar");
    Node flyway = pod.get("containers").list().get(0);
    assertThat(flyway.text("image")).matches("flyway/flyway:\\d+\\.\\d+\\.\\d+");
    assertThat(flyway.get("args").list()).map(Node::value).containsExactly("migrate");
    Map<String, Node> env = env(flyway);
    assertThat(env.get("FLYWAY_LOCATIONS").text("value")).isEqualTo("classpath:db/migration");
    assertThat(env.get("FLYWAY_JAR_DIRS").text("value")).isEqualTo("/migrations");
    assertThat(env.get("FLYWAY_PASSWORD").text("valueFrom.secretKeyRef.name"))
        .isEqualTo("fleetline-db-app");

    for (String name : List.of("fleetline-fleet-api", "fleetline-routing")) {
      assertThat(env(container(manifests.named("Deployment", name))).get("SPRING_FLYWAY_ENABLED"))
          .as(name)
          .satisfies(e -> assertThat(e.text("value")).isEqualTo("false"));
    }

    Manifests selfMigrating = renderWith("minimal.yaml");
    assertThat(HookRevealingChart.render(Map.of("migration.enabled", false)).ofKind("Job"))
        .isEmpty();
    for (Node deployment : selfMigrating.ofKind("Deployment")) {
      assertThat(env(container(deployment))).doesNotContainKey("SPRING_FLYWAY_ENABLED");
    }
  }

  @Test
  void autoscalersAndDisruptionBudgetsTargetTheRenderedDeployments() {
    Manifests manifests = renderDefaults();
    List<Node> autoscalers = manifests.ofKind("HorizontalPodAutoscaler");

    assertThat(autoscalers)
        .map(h -> h.text("spec.scaleTargetRef.name"))
        .hasSameElementsAs(DEPLOYMENTS);
    for (Node hpa : autoscalers) {
      Node target = manifests.named("Deployment", hpa.text("spec.scaleTargetRef.name"));
      assertThat(hpa.text("spec.scaleTargetRef.kind")).isEqualTo("Deployment");
      assertThat(target.get("spec.replicas").exists())
          .as("the autoscaler, not the Deployment, owns replicas")
          .isFalse();
    }
    for (Node pdb : manifests.ofKind("PodDisruptionBudget")) {
      Node target = manifests.named("Deployment", pdb.text("metadata.name"));
      assertThat(pdb.get("spec.selector.matchLabels").map())
          .isEqualTo(target.get("spec.selector.matchLabels").map());
    }
    assertThat(manifests.ofKind("PodDisruptionBudget")).hasSize(4);

    Manifests fixed = renderWith("minimal.yaml");
    assertThat(fixed.ofKind("HorizontalPodAutoscaler")).isEmpty();
    assertThat(fixed.ofKind("PodDisruptionBudget")).isEmpty();
    assertThat(fixed.ofKind("Deployment"))
        .allSatisfy(d -> assertThat(d.text("spec.replicas")).isEqualTo("1"));
  }

  @Test
  void servicesExposeTheServicesPortsAndSelectTheirPods() {
    Manifests manifests = renderDefaults();

    assertThat(ports(manifests.named("Service", "fleetline-fleet-api")))
        .containsExactly(8080, 9090);
    assertThat(ports(manifests.named("Service", "fleetline-ingest")))
        .containsExactly(8081, 9090, 5055, 5027, 5683, 5684);
    assertThat(ports(manifests.named("Service", "fleetline-routing"))).containsExactly(8082, 9090);
    assertThat(ports(manifests.named("Service", "fleetline-analytics")))
        .containsExactly(8083, 9090);
    for (Node service : manifests.ofKind("Service")) {
      Node deployment = manifests.named("Deployment", service.text("metadata.name"));
      assertThat(service.get("spec.selector").map())
          .isEqualTo(deployment.get("spec.selector.matchLabels").map());
      Set<String> containerPorts =
          container(deployment).get("ports").list().stream()
              .map(p -> p.text("name"))
              .collect(Collectors.toSet());
      assertThat(service.get("spec.ports").list())
          .allSatisfy(p -> assertThat(containerPorts).contains(p.text("targetPort")));
    }
  }

  @Test
  void coapDtlsStaysOffUnlessSwitchedOnSinceTheRegistryHoldsTheDevicesKeys() {
    String variable = "FLEETLINE_INGEST_COAP_DTLS_ENABLED";
    Node defaults = container(renderDefaults().named("Deployment", "fleetline-ingest"));
    Node switchedOn =
        container(
            render(c -> c.set("ingest.coapDtlsEnabled", true))
                .named("Deployment", "fleetline-ingest"));

    assertThat(env(defaults).get(variable).text("value")).isEqualTo("false");
    assertThat(env(switchedOn).get(variable).text("value")).isEqualTo("true");
  }

  @Test
  void anExposedIngestServiceKeepsDevicesSourceAddressesForThePerAddressLimits() {
    Node loadBalancer =
        render(c -> c.set("ingest.service.type", "LoadBalancer"))
            .named("Service", "fleetline-ingest");
    Node nodePort =
        render(c -> c.set("ingest.service.type", "NodePort")).named("Service", "fleetline-ingest");
    Node spread =
        render(
                c ->
                    c.set("ingest.service.type", "LoadBalancer")
                        .set("ingest.service.externalTrafficPolicy", "Cluster"))
            .named("Service", "fleetline-ingest");
    Node inCluster = renderDefaults().named("Service", "fleetline-ingest");

    assertThat(loadBalancer.text("spec.externalTrafficPolicy")).isEqualTo("Local");
    assertThat(nodePort.text("spec.externalTrafficPolicy")).isEqualTo("Local");
    assertThat(spread.text("spec.externalTrafficPolicy")).isEqualTo("Cluster");
    assertThat(inCluster.get("spec.externalTrafficPolicy").exists())
        .as("a ClusterIP Service has no external traffic")
        .isFalse();
  }

  @Test
  void managementEndpointsHaveAPortOfTheirOwnThatOnlyProbesAndScrapersUse() {
    Manifests production = renderWith("production.yaml");

    for (Node deployment : production.ofKind("Deployment")) {
      String name = deployment.text("metadata.name");
      Node container = container(deployment);
      assertThat(container.get("ports").list())
          .as(name)
          .anySatisfy(
              p -> {
                assertThat(p.text("name")).isEqualTo("management");
                assertThat(p.get("containerPort").value()).isEqualTo(9090);
              });
      assertThat(env(container).get("MANAGEMENT_SERVER_PORT").text("value")).isEqualTo("9090");
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        assertThat(container.text(probe + ".httpGet.port")).as(name).isEqualTo("management");
      }
      assertThat(deployment.get("spec.template.metadata.annotations").map())
          .as(name)
          .containsEntry("prometheus.io/port", "9090");
    }
    assertThat(production.ofKind("ServiceMonitor"))
        .allSatisfy(
            m ->
                assertThat(m.get("spec.endpoints").list().get(0).text("port"))
                    .isEqualTo("management"));
    assertThat(production.named("Ingress", "fleetline").get("spec.rules").list())
        .allSatisfy(r -> assertThat(backend(r)).doesNotEndWith(":management"));
    for (Node policy : production.ofKind("NetworkPolicy")) {
      for (Node rule : policy.get("spec.ingress").list()) {
        boolean management =
            rule.get("ports").list().stream().anyMatch(p -> p.text("port").equals("management"));
        assertThat(rule.get("from").exists())
            .as(
                "%s: the management port is open to the scrapers only",
                policy.text("metadata.name"))
            .isEqualTo(management);
      }
    }
  }

  @Test
  void behindTheIngressFleetApiSeesClientAddressesFromForwardedHeaders() {
    String variable = "SERVER_FORWARDHEADERSSTRATEGY";

    Node behindIngress =
        container(renderWith("production.yaml").named("Deployment", "fleetline-fleet-api"));
    Node direct = container(renderDefaults().named("Deployment", "fleetline-fleet-api"));

    assertThat(env(behindIngress).get(variable).text("value")).isEqualTo("native");
    assertThat(env(direct)).doesNotContainKey(variable);
  }

  @Test
  void operatorsSetFleetApisAudienceAndCanSwitchTheSwaggerUiOff() {
    Node defaults = container(renderDefaults().named("Deployment", "fleetline-fleet-api"));
    Node chosen =
        container(
            render(c -> c.set("fleetApi.swaggerUi", false).set("fleetApi.audience", "api://fleet"))
                .named("Deployment", "fleetline-fleet-api"));

    assertThat(env(defaults).get("SPRINGDOC_SWAGGERUI_ENABLED").text("value")).isEqualTo("true");
    assertThat(env(defaults).get("FLEETLINE_AUTH_AUDIENCE").text("value"))
        .isEqualTo("fleetline-api");
    assertThat(env(chosen).get("SPRINGDOC_SWAGGERUI_ENABLED").text("value")).isEqualTo("false");
    assertThat(env(chosen).get("FLEETLINE_AUTH_AUDIENCE").text("value")).isEqualTo("api://fleet");
  }

  @Test
  void anUpgradeReusingTheValuesOfAReleaseWithoutTheAudienceOrSwaggerSwitchKeepsTheirDefaults()
      throws IOException {
    // helm upgrade --reuse-values renders the new templates with the earlier release's values,
    // which lack the keys added since: here the chart's values without them.
    Path chart = Path.of("target/reused-values-chart/fleetline");
    try (Stream<Path> files = Files.walk(Repository.CHART)) {
      for (Path source : files.toList()) {
        Path target = chart.resolve(Repository.CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Path values = chart.resolve("values.yaml");
    String withoutNewKeys =
        Files.readString(values)
            .replaceAll("(?m)^  audience: .*\\n", "")
            .replaceAll("(?m)^  swaggerUi: .*\\n", "");
    assertThat(withoutNewKeys).doesNotContain("  audience:", "  swaggerUi:");
    Files.writeString(values, withoutNewKeys);

    Node reused = container(render(chart, c -> c).named("Deployment", "fleetline-fleet-api"));
    Node switchedOff =
        container(
            render(chart, c -> c.set("fleetApi.swaggerUi", false))
                .named("Deployment", "fleetline-fleet-api"));

    assertThat(env(reused).get("FLEETLINE_AUTH_AUDIENCE").text("value")).isEqualTo("fleetline-api");
    assertThat(env(reused).get("SPRINGDOC_SWAGGERUI_ENABLED").text("value")).isEqualTo("true");
    assertThat(env(switchedOff).get("SPRINGDOC_SWAGGERUI_ENABLED").text("value"))
        .isEqualTo("false");
  }

  @Test
  void aManagementPortOfZeroServesHealthAndMetricsOnTheServicePort() {
    Manifests shared =
        render(
            c ->
                c.set("fleetApi.managementPort", 0)
                    .set("ingest.managementPort", 0)
                    .set("routing.managementPort", 0)
                    .set("analytics.managementPort", 0));

    for (Node deployment : shared.ofKind("Deployment")) {
      Node container = container(deployment);
      assertThat(container.get("ports").list()).noneMatch(p -> p.text("name").equals("management"));
      assertThat(env(container)).doesNotContainKey("MANAGEMENT_SERVER_PORT");
      assertThat(container.text("readinessProbe.httpGet.port")).isEqualTo("http");
    }
    assertThat(ports(shared.named("Service", "fleetline-routing"))).containsExactly(8082);
  }

  @Test
  void optionalResourcesAppearOnlyWhenSwitchedOn() {
    Manifests defaults = renderDefaults();
    assertThat(defaults.ofKind("Ingress")).isEmpty();
    assertThat(defaults.ofKind("NetworkPolicy")).isEmpty();
    assertThat(defaults.ofKind("ServiceMonitor")).isEmpty();
    assertThat(defaults.ofKind("ServiceAccount")).hasSize(1);

    Manifests production = renderWith("production.yaml");
    Node ingress = production.named("Ingress", "fleetline");
    assertThat(ingress.get("spec.rules").list())
        .map(r -> r.text("host") + " -> " + backend(r))
        .containsExactly(
            "api.fleet.example.com -> fleetline-fleet-api:http",
            "ingest.fleet.example.com -> fleetline-ingest:http",
            "osmand.fleet.example.com -> fleetline-ingest:osmand");
    assertThat(production.ofKind("NetworkPolicy")).hasSize(4);
    assertThat(production.ofKind("ServiceMonitor"))
        .hasSize(4)
        .allSatisfy(
            m -> {
              assertThat(m.get("spec.endpoints").list().get(0).text("path"))
                  .isEqualTo("/actuator/prometheus");
              assertThat(m.get("metadata.labels").map())
                  .containsEntry("release", "kube-prometheus-stack");
            });
    assertThat(production.named("Service", "fleetline-ingest").text("spec.type"))
        .isEqualTo("LoadBalancer");
  }

  @Test
  void everyRenderedImageIsPinned() {
    Manifests production = renderWith("production.yaml");
    assertThat(containers(production))
        .map(c -> c.text("image"))
        .contains("registry.example.com/telematics/ingest-service:0.1.0");
    Manifests byDigest = render(c -> c.set("image.digest", "sha256:" + "a".repeat(64)));
    assertThat(container(byDigest.named("Deployment", "fleetline-routing")).text("image"))
        .isEqualTo("ghcr.io/fleetline/routing-service@sha256:" + "a".repeat(64));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fleetApi.replicaCount=three",
        "ingest.replicaCount=0",
        "kafka.securityProtocol=TLS",
        "image.tag=latest",
        "postgresql.url=postgres://db/fleetline",
        "logging.format=json",
        "routing.autoscalling.enabled=false",
        "fleetApi.signingKey.existingSecret=",
        "routing.managementPort=-1",
        "fleetApi.audience=",
      })
  void schemaRejectsAWrongValue(String assignment) {
    String[] parts = assignment.split("=", 2);

    assertThatThrownBy(() -> render(c -> c.set(parts[0], parts[1]))).hasMessageContaining("schema");
  }

  @Test
  void saslWithoutAPasswordSecretFailsWithAClearMessage() {
    assertThatThrownBy(() -> render(c -> c.set("kafka.securityProtocol", "SASL_SSL")))
        .hasMessageContaining("kafka.sasl.existingSecret is required");
  }

  @Test
  void analyticsKeepsItsStateOnAVolumeOfItsOwnWithStandbyReplicas() {
    Node deployment = renderDefaults().named("Deployment", "fleetline-analytics");
    Node container = container(deployment);
    Map<String, Node> env = env(container);
    assertThat(env.get("FLEETLINE_ANALYTICS_STATE_DIR").text("value"))
        .isEqualTo("/var/lib/fleetline-analytics");
    assertThat(env.get("FLEETLINE_ANALYTICS_STANDBY_REPLICAS").text("value")).isEqualTo("1");
    assertThat(env.get("FLEETLINE_ANALYTICS_PINGS_TOPIC").text("value"))
        .isEqualTo("fleetline.pings");
    assertThat(container.get("volumeMounts").list())
        .anySatisfy(
            m -> {
              assertThat(m.text("name")).isEqualTo("analytics-state");
              assertThat(m.text("mountPath")).isEqualTo("/var/lib/fleetline-analytics");
            });
    assertThat(deployment.get("spec.template.spec.volumes").list())
        .anySatisfy(
            v -> {
              assertThat(v.text("name")).isEqualTo("analytics-state");
              assertThat(v.text("emptyDir.sizeLimit")).isEqualTo("2Gi");
            });
  }

  @Test
  void analyticsCannotAutoscaleToMoreStreamThreadsThanPartitions() {
    assertThatThrownBy(() -> render(c -> c.set("analytics.streamThreads", 3)))
        .hasMessageContaining("analytics.autoscaling.maxReplicas x analytics.streamThreads");
  }

  @Test
  void routingCannotAutoscaleToMoreConsumersThanPartitions() {
    assertThatThrownBy(() -> render(c -> c.set("routing.autoscaling.maxReplicas", 7)))
        .hasMessageContaining("exceeds kafka.topics.pingPartitions");
  }

  static List<Node> containers(Manifests manifests) {
    List<Node> pods = new java.util.ArrayList<>();
    for (Node o : manifests.objects()) {
      pods.addAll(o.get("spec.template.spec.containers").list());
      pods.addAll(o.get("spec.template.spec.initContainers").list());
    }
    return pods;
  }

  static Node container(Node workload) {
    return workload.get("spec.template.spec.containers").list().get(0);
  }

  static Map<String, Node> env(Node container) {
    return container.get("env").list().stream()
        .collect(Collectors.toMap(e -> e.text("name"), e -> e, (a, b) -> b));
  }

  private static List<Integer> ports(Node service) {
    return service.get("spec.ports").list().stream()
        .map(p -> (Integer) p.get("port").value())
        .toList();
  }

  private static String backend(Node rule) {
    Node path = rule.get("http.paths").list().get(0);
    return path.text("backend.service.name") + ":" + path.text("backend.service.port.name");
  }
}
