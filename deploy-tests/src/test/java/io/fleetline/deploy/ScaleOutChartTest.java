package io.fleetline.deploy;

import static io.fleetline.deploy.HelmChartTest.container;
import static io.fleetline.deploy.HelmChartTest.render;
import static io.fleetline.deploy.HelmChartTest.renderDefaults;
import static io.fleetline.deploy.HelmChartTest.renderWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.deploy.Manifests.Node;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart running each service on several pods against a Kafka cluster of three brokers: no node
 * drain or node failure takes all of a service's pods, and every topic the services create survives
 * a broker's loss.
 */
class ScaleOutChartTest {

  static final Path SCALE_OUT = Repository.CHART.resolve("values-scale-out.yaml");

  static Manifests renderScaleOut() {
    return render(c -> c.withValuesFile(SCALE_OUT));
  }

  @Test
  void everyWorkloadOnSeveralPodsHasABudgetSelectingItAndIsKeptApartFromItsOtherPods() {
    List<Manifests> valueSets =
        List.of(
            renderDefaults(),
            renderScaleOut(),
            renderWith("production.yaml"),
            render(c -> c.withValuesFile(SCALE_OUT).set("topologySpread.enabled", false)),
            render(
                c ->
                    c.set("podAntiAffinity.type", "")
                        .set("routing.autoscaling.enabled", false)
                        .set("routing.replicaCount", 3)));
    for (Manifests manifests : valueSets) {
      List<Node> scaledOut =
          manifests.ofKind("Deployment").stream().filter(d -> onSeveralPods(manifests, d)).toList();
      assertThat(scaledOut).isNotEmpty();
      for (Node deployment : scaledOut) {
        String name = deployment.text("metadata.name");
        assertThat(budgetsSelecting(manifests, deployment))
            .as("%s: one PodDisruptionBudget selects its pods", name)
            .hasSize(1)
            .allSatisfy(pdb -> assertThat(pdb.text("spec.maxUnavailable")).isEqualTo("1"));
        assertThat(keptApartPerNode(deployment))
            .as("%s: anti-affinity or a spread over nodes that selects its own pods", name)
            .isTrue();
      }
    }
  }

  @Test
  void aServiceOnOnePodGetsNoBudgetSinceItWouldOnlyBlockNodeDrains() {
    Manifests manifests =
        render(
            c ->
                c.set("routing.autoscaling.enabled", false)
                    .set("routing.replicaCount", 1)
                    .set("routing.podDisruptionBudget.enabled", true));
    Node routing = manifests.named("Deployment", "fleetline-routing");

    assertThat(budgetsSelecting(manifests, routing)).isEmpty();
    assertThat(routing.get("spec.template.spec.affinity.podAntiAffinity").exists()).isFalse();
    assertThat(budgetsSelecting(manifests, manifests.named("Deployment", "fleetline-ingest")))
        .as("ingest still runs under its autoscaler")
        .hasSize(1);
  }

  @Test
  void antiAffinityIsPreferredByDefaultAndRequiredWhenAskedFor() {
    Node preferred =
        renderScaleOut()
            .named("Deployment", "fleetline-ingest")
            .get("spec.template.spec.affinity.podAntiAffinity");
    Node required =
        render(c -> c.withValuesFile(SCALE_OUT).set("podAntiAffinity.type", "required"))
            .named("Deployment", "fleetline-ingest")
            .get("spec.template.spec.affinity.podAntiAffinity");

    assertThat(preferred.get("requiredDuringSchedulingIgnoredDuringExecution").exists()).isFalse();
    Node preferredTerm =
        preferred.get("preferredDuringSchedulingIgnoredDuringExecution").list().get(0);
    assertThat(preferredTerm.get("weight").value()).isEqualTo(100);
    assertThat(preferredTerm.text("podAffinityTerm.topologyKey"))
        .isEqualTo("kubernetes.io/hostname");
    assertThat(preferred.get("preferredDuringSchedulingIgnoredDuringExecution").list()).hasSize(1);

    assertThat(required.get("preferredDuringSchedulingIgnoredDuringExecution").exists()).isFalse();
    Node requiredTerm =
        required.get("requiredDuringSchedulingIgnoredDuringExecution").list().get(0);
    assertThat(requiredTerm.text("topologyKey")).isEqualTo("kubernetes.io/hostname");
    assertThat(requiredTerm.get("labelSelector.matchLabels").map())
        .containsEntry("app.kubernetes.io/component", "ingest");
  }

  @Test
  void aServicesOwnAffinityKeepsItsNodeRulesAndItsOwnAntiAffinityReplacesTheCharts() {
    Manifests manifests =
        render(
            c ->
                c.set(
                        "routing.affinity.nodeAffinity"
                            + ".requiredDuringSchedulingIgnoredDuringExecution"
                            + ".nodeSelectorTerms[0].matchExpressions[0].key",
                        "pool")
                    .set(
                        "routing.affinity.nodeAffinity"
                            + ".requiredDuringSchedulingIgnoredDuringExecution"
                            + ".nodeSelectorTerms[0].matchExpressions[0].operator",
                        "Exists")
                    .set(
                        "ingest.affinity.podAntiAffinity"
                            + ".requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey",
                        "topology.kubernetes.io/zone"));
    Node routing = manifests.named("Deployment", "fleetline-routing").get("spec.template.spec");
    Node ingest = manifests.named("Deployment", "fleetline-ingest").get("spec.template.spec");

    assertThat(routing.get("affinity.nodeAffinity").exists()).isTrue();
    assertThat(
            routing
                .get("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution")
                .list())
        .hasSize(1);
    assertThat(ingest.get("affinity.podAntiAffinity").map())
        .containsOnlyKeys("requiredDuringSchedulingIgnoredDuringExecution");
    assertThat(
            ingest
                .get("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution")
                .list()
                .get(0)
                .text("topologyKey"))
        .isEqualTo("topology.kubernetes.io/zone");
  }

  @Test
  void scaleOutValuesCreateEveryTopicWithThreeCopiesTwoOfThemInSync() {
    Manifests manifests = renderScaleOut();

    for (Node deployment : manifests.ofKind("Deployment")) {
      String name = deployment.text("metadata.name");
      ServiceConfiguration service =
          ServiceConfiguration.of(ChartConfigurationTest.MODULES.get(name));
      Map<String, String> env = values(container(deployment));
      assertThat(service.effective("fleetline.kafka.topics.replication-factor", env))
          .as(name)
          .isEqualTo("3");
      assertThat(service.effective("fleetline.kafka.topics.min-insync-replicas", env))
          .as(name)
          .isEqualTo("2");
      assertThat(service.effective("spring.kafka.producer.acks", env))
          .as("%s: a write counts once the in-sync copies have it", name)
          .isEqualTo("all");
    }
    Map<String, String> analytics =
        values(container(manifests.named("Deployment", "fleetline-analytics")));
    assertThat(
            ServiceConfiguration.of("analytics-service")
                .effective("fleetline.analytics.replication-factor", analytics))
        .as("the changelog topics of the stream's state")
        .isEqualTo("3");
    for (String module : List.of("ingest-service", "fleet-api")) {
      assertThat(
              ServiceConfiguration.of(module)
                  .effective("spring.kafka.producer.properties.enable.idempotence", Map.of()))
          .as("%s: a retried send is not written twice", module)
          .isEqualTo("true");
    }
  }

  @Test
  void aSingleBrokerCanBeToldSoAndTheServicesFollow() {
    Manifests manifests =
        render(
            c ->
                c.set("kafka.topics.replicationFactor", 1)
                    .set("kafka.topics.minInSyncReplicas", 0));

    for (Node deployment : manifests.ofKind("Deployment")) {
      ServiceConfiguration service =
          ServiceConfiguration.of(
              ChartConfigurationTest.MODULES.get(deployment.text("metadata.name")));
      Map<String, String> env = values(container(deployment));
      assertThat(service.effective("fleetline.kafka.topics.replication-factor", env))
          .isEqualTo("1");
      assertThat(service.effective("fleetline.kafka.topics.min-insync-replicas", env))
          .as("the broker's default")
          .isEqualTo("0");
    }
  }

  @Test
  void moreInSyncCopiesThanCopiesAreRefusedSinceNoWriteCouldSucceed() {
    assertThatThrownBy(() -> render(c -> c.set("kafka.topics.minInSyncReplicas", 4)))
        .hasMessageContaining("kafka.topics.minInSyncReplicas exceeds");
  }

  @Test
  void aFixedReplicaCountWithMoreConsumersThanPartitionsIsRefused() {
    assertThatThrownBy(
            () ->
                render(
                    c ->
                        c.set("routing.autoscaling.enabled", false).set("routing.replicaCount", 7)))
        .hasMessageContaining("routing.replicaCount x routing.concurrency exceeds");
    assertThatThrownBy(
            () ->
                render(
                    c ->
                        c.set("analytics.autoscaling.enabled", false)
                            .set("analytics.replicaCount", 13)))
        .hasMessageContaining("analytics.replicaCount x analytics.streamThreads exceeds");
    assertThat(
            render(c -> c.set("routing.autoscaling.enabled", false).set("routing.replicaCount", 6))
                .named("Deployment", "fleetline-routing")
                .get("spec.replicas")
                .value())
        .as("6 pods x 2 threads = the 12 partitions")
        .isEqualTo(6);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kafka.topics.minInSyncReplicas=-1",
        "podAntiAffinity.type=always",
        "podAntiAffinity.weight=101",
      })
  void schemaRejectsAWrongScaleOutValue(String assignment) {
    String[] parts = assignment.split("=", 2);

    assertThatThrownBy(() -> render(c -> c.set(parts[0], parts[1]))).hasMessageContaining("schema");
  }

  /** Whether a Deployment runs on more than one pod: an autoscaler, or several replicas. */
  private static boolean onSeveralPods(Manifests manifests, Node deployment) {
    boolean autoscaled =
        manifests.ofKind("HorizontalPodAutoscaler").stream()
            .anyMatch(
                h -> h.text("spec.scaleTargetRef.name").equals(deployment.text("metadata.name")));
    Object replicas = deployment.get("spec.replicas").value();
    return autoscaled || (replicas instanceof Integer n && n > 1);
  }

  private static List<Node> budgetsSelecting(Manifests manifests, Node deployment) {
    Map<String, Object> podLabels = deployment.get("spec.template.metadata.labels").map();
    return manifests.ofKind("PodDisruptionBudget").stream()
        .filter(pdb -> selects(pdb.get("spec.selector.matchLabels"), podLabels))
        .toList();
  }

  /** Its pods repel each other per node, or are spread over nodes, by a selector of its own. */
  private static boolean keptApartPerNode(Node deployment) {
    Map<String, Object> podLabels = deployment.get("spec.template.metadata.labels").map();
    Node pod = deployment.get("spec.template.spec");
    Node anti = pod.get("affinity.podAntiAffinity");
    boolean required =
        anti.get("requiredDuringSchedulingIgnoredDuringExecution").list().stream()
            .anyMatch(t -> perNode(t) && selects(t.get("labelSelector.matchLabels"), podLabels));
    boolean preferred =
        anti.get("preferredDuringSchedulingIgnoredDuringExecution").list().stream()
            .map(t -> t.get("podAffinityTerm"))
            .anyMatch(t -> perNode(t) && selects(t.get("labelSelector.matchLabels"), podLabels));
    boolean spread =
        pod.get("topologySpreadConstraints").list().stream()
            .anyMatch(t -> perNode(t) && selects(t.get("labelSelector.matchLabels"), podLabels));
    return required || preferred || spread;
  }

  private static boolean perNode(Node term) {
    return "kubernetes.io/hostname".equals(term.text("topologyKey"));
  }

  private static boolean selects(Node matchLabels, Map<String, Object> labels) {
    Map<String, Object> selector = matchLabels.map();
    return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
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
