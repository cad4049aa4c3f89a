package io.fleetline.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Kubernetes objects parsed from the multi-document YAML that {@code helm template} prints. */
record Manifests(List<Node> objects) {

  static Manifests parse(String yaml) {
    List<Node> objects = new ArrayList<>();
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (document != null) {
        objects.add(new Node(document));
      }
    }
    return new Manifests(objects);
  }

  List<Node> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.text("kind"))).toList();
  }

  Node named(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(o.text("metadata.name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }

  /**
   * A read-only view of a parsed YAML value with dotted-path access, e.g. {@code
   * get("spec.template.spec.containers")}.
   */
  record Node(Object value) {

    Node get(String path) {
      Object current = value;
      for (String key : path.split("\\.")) {
        if (!(current instanceof Map<?, ?> map)) {
          return new Node(null);
        }
        current = map.get(key);
      }
      return new Node(current);
    }

    String text(String path) {
      Object found = get(path).value();
      return found == null ? null : found.toString();
    }

    boolean exists() {
      return value != null;
    }

    List<Node> list() {
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof List<?> items)) {
        throw new AssertionError("not a list: " + value);
      }
      return items.stream().map(Node::new).toList();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
      return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @Override
    public String toString() {
      return Objects.toString(value);
    }
  }
}
