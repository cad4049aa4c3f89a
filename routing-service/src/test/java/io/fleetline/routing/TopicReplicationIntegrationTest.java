package io.fleetline.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Topics;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.db.testing.TopicSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On a real broker, the topics routing creates at start-up carry the in-sync copies they were
 * configured with, as a setting of the topic rather than the broker's default.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.kafka.topics.replication-factor=1",
      "fleetline.kafka.topics.min-insync-replicas=1"
    })
@EmbeddedKafka(partitions = 1, topics = Topics.PINGS)
class TopicReplicationIntegrationTest {

  static final TestDatabase database = TestPostgis.newDatabase();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    database.registerIn(registry);
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Test
  void topicsRoutingCreatesCarryTheirMinInsyncReplicasAsTheirOwnSetting() throws Exception {
    assertThat(
            TopicSettings.ownSetting(
                brokers, "min.insync.replicas", Topics.EVENTS, Topics.PINGS + ".dlt"))
        .as("set on each topic, not inherited from the broker")
        .isEqualTo(Map.of(Topics.EVENTS, "1", Topics.PINGS + ".dlt", "1"));
  }
}
