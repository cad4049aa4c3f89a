package io.fleetline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fleetline.deploy.Manifests.Node;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every rendered object, read into the Kubernetes API types (fabric8's model), has no field that
 * the API does not define: a misspelt or misplaced field would otherwise be dropped silently by the
 * API server, or fail only at install time.
 */
class KubernetesApiTest {

  static final Map<String, Class<?>> TYPES =
      Map.of(
          "apps/v1 Deployment", Deployment.class,
          "v1 Service", Service.class,
          "v1 ServiceAccount", ServiceAccount.class,
          "autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "policy/v1 PodDisruptionBudget", PodDisruptionBudget.class,
          "networking.k8s.io/v1 Ingress", Ingress.class,
          "networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class,
          "batch/v1 Job", Job.class);

  final ObjectMapper json = new ObjectMapper();

  @Test
  void everyRenderedObjectUsesOnlyFieldsOfItsKubernetesApiType() throws Exception {
    List<Manifests> renders =
        List.of(
            HelmChartTest.renderDefaults(),
            HelmChartTest.renderWith("minimal.yaml"),
            HelmChartTest.renderWith("production.yaml"),
            ScaleOutChartTest.renderScaleOut(),
            HelmChartTest.render(
                c ->
                    c.withValuesFile(ScaleOutChartTest.SCALE_OUT)
                        .set("podAntiAffinity.type", "required")),
            HookRevealingChart.render(Map.of()));
    int checked = 0;
    for (Manifests manifests : renders) {
      for (Node object : manifests.objects()) {
        String kind = object.text("apiVersion") + " " + object.text("kind");
        if (kind.equals("monitoring.coreos.com/v1 ServiceMonitor")) {
          continue; // a custom resource, not part of the Kubernetes API
        }
        assertThat(TYPES).as("a known API type: %s", kind).containsKey(kind);
        assertThat(unknownFields(object.map(), TYPES.get(kind)))
            .as("%s %s", kind, object.text("metadata.name"))
            .isEmpty();
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(30);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aMisspeltFieldIsFound() throws Exception {
    Node deployment = HelmChartTest.renderDefaults().named("Deployment", "fleetline-ingest");
    Map<String, Object> copy = json.readValue(json.writeValueAsString(deployment.map()), Map.class);
    Map<String, Object> pod =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) copy.get("spec")).get("template"))
                .get("spec");
    pod.put("topologySpreadConstraint", pod.remove("topologySpreadConstraints"));

    assertThat(unknownFields(copy, Deployment.class))
        .singleElement()
        .asString()
        .contains("topologySpreadConstraint");
  }

  List<String> unknownFields(Map<String, Object> object, Class<?> type) throws Exception {
    List<String> found = new ArrayList<>();
    walk(json.convertValue(object, type), "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) throws Exception {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (var entry : map.entrySet()) {
        walk(entry.getValue(), path + "." + entry.getKey(), found);
      }
      return;
    }
    if (value == null
        || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object field = getter.invoke(value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add(path + " " + extra.keySet());
        }
      } else {
        walk(field, path + "." + getter.getName().substring(3), found);
      }
    }
  }
}
