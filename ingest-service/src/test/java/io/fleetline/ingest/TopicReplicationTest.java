package io.fleetline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class TopicReplicationTest {

  private static List<NewTopic> topicsWith(Map<String, String> settings) {
    Binder binder = new Binder(new MapConfigurationPropertySource(settings));
    IngestProperties properties = binder.bindOrCreate("fleetline.ingest", IngestProperties.class);
    TopicReplication replication =
        binder.bindOrCreate("fleetline.kafka.topics", TopicReplication.class);
    KafkaTopicsConfiguration configuration = new KafkaTopicsConfiguration();
    return List.of(
        configuration.pingsTopic(properties, replication),
        configuration.rejectedPingsTopic(properties, replication),
        configuration.devicesTopic(properties, replication));
  }

  /** A topic's settings; Kafka's NewTopic has none rather than an empty map when none are set. */
  private static Map<String, String> configs(NewTopic topic) {
    return topic.configs() == null ? Map.of() : topic.configs();
  }

  @Test
  void unsetReplicationKeepsIngestsOwnReplicationFactorAndTheBrokersInSyncDefault() {
    assertThat(topicsWith(Map.of()))
        .allSatisfy(
            topic -> {
              assertThat(topic.replicationFactor()).isEqualTo((short) 1);
              assertThat(configs(topic)).doesNotContainKey("min.insync.replicas");
            });
    assertThat(topicsWith(Map.of("fleetline.ingest.topics.replication-factor", "2")))
        .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) 2));
  }

  @Test
  void onAThreeBrokerClusterEveryTopicIngestCreatesHasThreeCopiesTwoOfThemInSync() {
    Map<String, String> scaledOut =
        Map.of(
            "fleetline.kafka.topics.replication-factor", "3",
            "fleetline.kafka.topics.min-insync-replicas", "2");

    assertThat(topicsWith(scaledOut))
        .allSatisfy(
            topic -> {
              assertThat(topic.replicationFactor()).isEqualTo((short) 3);
              assertThat(configs(topic)).containsEntry("min.insync.replicas", "2");
            });
  }

  @Test
  void moreInSyncCopiesThanTopicCopiesAreRefusedAtStart() {
    Map<String, String> oneCopyTwoInSync =
        Map.of(
            "fleetline.kafka.topics.replication-factor", "1",
            "fleetline.kafka.topics.min-insync-replicas", "2");

    assertThatThrownBy(() -> topicsWith(oneCopyTwoInSync))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleetline.kafka.topics.min-insync-replicas (2)");
  }

  @Test
  void anExplicitIngestReplicationFactorWinsOverTheSharedOne() {
    Map<String, String> both =
        Map.of(
            "fleetline.kafka.topics.replication-factor", "3",
            "fleetline.kafka.topics.min-insync-replicas", "2",
            "fleetline.ingest.topics.replication-factor", "2");

    assertThat(topicsWith(both))
        .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) 2));
  }

  @Test
  void anIngestReplicationFactorBelowTheInSyncCopiesIsRefusedAtStart() {
    Map<String, String> oneCopyTwoInSync =
        Map.of(
            "fleetline.kafka.topics.replication-factor", "3",
            "fleetline.kafka.topics.min-insync-replicas", "2",
            "fleetline.ingest.topics.replication-factor", "1");

    assertThatThrownBy(() -> topicsWith(oneCopyTwoInSync))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fleetline.ingest.topics.replication-factor (1)");
  }
}
