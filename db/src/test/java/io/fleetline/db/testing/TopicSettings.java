package io.fleetline.db.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/** What a real broker says topics were created with, for tests of the topics a service creates. */
public final class TopicSettings {

  private TopicSettings() {}

  /**
   * The value of {@code setting} on each of {@code topics} that carries it as its own setting,
   * rather than inheriting the broker's default; a topic that inherits it is left out.
   */
  public static Map<String, String> ownSetting(String brokers, String setting, String... topics)
      throws InterruptedException, ExecutionException {
    List<ConfigResource> resources =
        List.of(topics).stream()
            .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
            .toList();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
      return admin.describeConfigs(resources).all().get().entrySet().stream()
          .filter(
              topic ->
                  topic.getValue().get(setting).source()
                      == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
          .collect(
              Collectors.toMap(
                  topic -> topic.getKey().name(), topic -> topic.getValue().get(setting).value()));
    }
  }
}
