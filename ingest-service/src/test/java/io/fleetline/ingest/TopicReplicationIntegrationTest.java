package io.fleetline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Topics;
import io.fleetline.db.testing.TopicSettings;
import java.util.Map;
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
    assertThat(
            TopicSettings.ownSetting(
                brokers,
                "min.insync.replicas",
                Topics.PINGS,
                Topics.PINGS_REJECTED,
                Topics.DEVICES))
        .as("set on each topic, not inherited from the broker")
        .isEqualTo(Map.of(Topics.PINGS, "1", Topics.PINGS_REJECTED, "1", Topics.DEVICES, "1"));
  }
}
