package io.fleetline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * On a real broker, the topics ingest creates at start-up carry the in-sync copies they were
 * configured with, as a setting of the topic rather than the broker's default.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.kafka.topics.replication-factor=1",
      "fleetline.kafka.topics.min-insync-replicas=1"
    })
@EmbeddedKafka(partitions = 1)
class TopicReplicationIntegrationTest {

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Test
  void topicsIngestCreatesCarryTheirMinInsyncReplicasAsTheirOwnSetting() throws Exception {
    List<ConfigResource> topics =
        List.of(Topics.PINGS, Topics.PINGS_REJECTED, Topics.DEVICES).stream()
            .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
            .toList();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
      Map<ConfigResource, Config> configs = admin.describeConfigs(topics).all().get();

      assertThat(configs).hasSize(3);
      configs.forEach(
          (topic, config) -> {
            ConfigEntry minInsync = config.get("min.insync.replicas");
            assertThat(minInsync.value()).as(topic.name()).isEqualTo("1");
            assertThat(minInsync.source())
                .as("%s: set on the topic, not inherited from the broker", topic.name())
                .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
          });
    }
  }
}
