package io.fleetline.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What one service's configuration understands, read from the service's own sources: the keys and
 * {@code ${PLACEHOLDERS}} of its {@code application.yaml}, its {@code @ConfigurationProperties}
 * records with their defaults, and Spring Boot's configuration metadata. Environment variables are
 * matched the way Spring Boot binds them: upper case, {@code _} for {@code .}, and dashes either
 * dropped or (the legacy form) also turned into {@code _}.
 */
final class ServiceConfiguration {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([^}]*))?}");
  private static final Pattern PROPERTIES_CLASS =
      Pattern.compile(
          "@ConfigurationProperties\\(\"([^\"]+)\"\\)\\s*(?:public\\s+)?record\\s+\\w+\\s*\\(");
  private static final Pattern NESTED_RECORD =
      Pattern.compile("record\\s+(\\w+)\\s*\\((.*?)\\)\\s*(?:implements[^{]*)?\\{", Pattern.DOTALL);
  private static final Pattern DEFAULT_VALUE =
      Pattern.compile("@DefaultValue\\((?:\"([^\"]*)\"|Topics\\.([A-Z_]+))\\)");
  private static final Set<String> BOOT_PROPERTIES = new HashSet<>();
  private static final Set<String> BOOT_MAP_PROPERTIES = new HashSet<>();

  private final String module;
  private final Map<String, Object> yamlValues = new HashMap<>();
  private final Map<String, String> recordDefaults = new HashMap<>();
  private final Set<String> placeholders = new HashSet<>();
  private final Map<String, String> placeholderOf = new HashMap<>();

  private ServiceConfiguration(String module) {
    this.module = module;
  }

  static ServiceConfiguration of(String module) {
    ServiceConfiguration config = new ServiceConfiguration(module);
    Path yaml = Repository.module(module).resolve("src/main/resources/application.yaml");
    Map<String, Object> tree =
        new Yaml(new SafeConstructor(new LoaderOptions())).load(Repository.read(yaml));
    config.flatten("", tree);
    try (Stream<Path> sources = Files.walk(Repository.module(module).resolve("src/main/java"))) {
      sources.filter(p -> p.toString().endsWith(".java")).forEach(config::readRecords);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    loadBootMetadata();
    return config;
  }

  /**
   * Whether an environment variable binds to a property, or fills a placeholder, of this service.
   */
  boolean understands(String envName) {
    if (placeholders.contains(envName)) {
      return true;
    }
    if (Stream.of(yamlValues.keySet(), recordDefaults.keySet(), BOOT_PROPERTIES)
        .flatMap(Set::stream)
        .anyMatch(property -> bindsTo(envName, property))) {
      return true;
    }
    return BOOT_MAP_PROPERTIES.stream()
        .anyMatch(map -> envForms(map).stream().anyMatch(form -> envName.startsWith(form + "_")));
  }

  /**
   * The value a property takes with the given environment: a variable bound to it, else its {@code
   * application.yaml} value (placeholders resolved), else its record default.
   */
  String effective(String property, Map<String, String> environment) {
    String name = canonical(property);
    for (var entry : environment.entrySet()) {
      if (bindsTo(entry.getKey(), name)) {
        return entry.getValue();
      }
    }
    Object yaml = yamlValues.get(name);
    if (yaml != null) {
      Matcher m = PLACEHOLDER.matcher(yaml.toString());
      if (m.matches()) {
        return environment.getOrDefault(m.group(1), m.group(2));
      }
      return yaml.toString();
    }
    if (recordDefaults.containsKey(name)) {
      return recordDefaults.get(name);
    }
    throw new AssertionError(module + " has no property " + property);
  }

  /** Each {@code application.yaml} property (as written) filled by a placeholder, and its name. */
  Map<String, String> placeholders() {
    return Map.copyOf(placeholderOf);
  }

  @Override
  public String toString() {
    return module;
  }

  private void flatten(String prefix, Map<?, ?> tree) {
    for (var entry : tree.entrySet()) {
      String key = prefix.isEmpty() ? entry.getKey().toString() : prefix + "." + entry.getKey();
      if (entry.getValue() instanceof Map<?, ?> child) {
        flatten(key, child);
      } else {
        yamlValues.put(canonical(key), entry.getValue());
        if (entry.getValue() != null) {
          Matcher m = PLACEHOLDER.matcher(entry.getValue().toString());
          while (m.find()) {
            placeholders.add(m.group(1));
            placeholderOf.put(key, m.group(1));
          }
        }
      }
    }
  }

  private void readRecords(Path source) {
    String java = Repository.read(source);
    Matcher properties = PROPERTIES_CLASS.matcher(java);
    if (!properties.find()) {
      return;
    }
    Map<String, String> records = new HashMap<>();
    Matcher nested = NESTED_RECORD.matcher(java);
    while (nested.find()) {
      records.put(nested.group(1), nested.group(2));
    }
    Matcher top = NESTED_RECORD.matcher(java);
    top.find(properties.start());
    readComponents(canonical(properties.group(1)), top.group(2), records);
  }

  private void readComponents(String prefix, String components, Map<String, String> records) {
    for (String component : splitTopLevel(components)) {
      Matcher defaultValue = DEFAULT_VALUE.matcher(component);
      String withoutAnnotations = component.replaceAll("@\\w+(\\([^)]*\\))?", " ").trim();
      String[] words = withoutAnnotations.split("\\s+");
      if (words.length < 2) {
        continue;
      }
      String type = words[words.length - 2];
      String name = prefix + "." + kebab(words[words.length - 1]);
      if (records.containsKey(type)) {
        readComponents(name, records.get(type), records);
      } else {
        recordDefaults.put(name, defaultValue.find() ? defaultOf(defaultValue) : null);
      }
    }
  }

  /** A literal default, or one of the shared topic names in {@code common}'s {@code Topics}. */
  private static String defaultOf(Matcher defaultValue) {
    if (defaultValue.group(1) != null) {
      return defaultValue.group(1);
    }
    String topics =
        Repository.read(
            Repository.module("common").resolve("src/main/java/io/fleetline/common/Topics.java"));
    Matcher constant =
        Pattern.compile(defaultValue.group(2) + "\\s*=\\s*\"([^\"]+)\"").matcher(topics);
    return constant.find() ? constant.group(1) : null;
  }

  private static List<String> splitTopLevel(String components) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : components.toCharArray()) {
      if (c == '<' || c == '(') {
        depth++;
      } else if (c == '>' || c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  private static synchronized void loadBootMetadata() {
    if (!BOOT_PROPERTIES.isEmpty()) {
      return;
    }
    ObjectMapper json = new ObjectMapper();
    try {
      for (URL url :
          Collections.list(
              ServiceConfiguration.class
                  .getClassLoader()
                  .getResources("META-INF/spring-configuration-metadata.json"))) {
        try (InputStream in = url.openStream()) {
          JsonNode properties = json.readTree(in).path("properties");
          for (JsonNode property : properties) {
            String name = canonical(property.path("name").asString());
            BOOT_PROPERTIES.add(name);
            if (property.path("type").asString("").startsWith("java.util.Map")) {
              BOOT_MAP_PROPERTIES.add(name);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A property name as Spring Boot documents it: lower case, words joined by dashes. */
  static String canonical(String property) {
    return property.toLowerCase(Locale.ROOT);
  }

  private static String kebab(String camelCase) {
    return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static boolean bindsTo(String envName, String property) {
    return envForms(property).contains(envName);
  }

  private static Set<String> envForms(String property) {
    String upper = property.replace('.', '_').toUpperCase(Locale.ROOT);
    return new HashSet<>(List.of(upper.replace("-", ""), upper.replace('-', '_')));
  }
}
