package io.fleetline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

class TopicReplicationTest {

  private static final String SHARED_COPIES = "fleetline.kafka.topics.replication-factor";
  private static final String IN_SYNC_COPIES = "fleetline.kafka.topics.min-insync-replicas";
  private static final String INGEST_COPIES = "fleetline.ingest.topics.replication-factor";

  private static List<NewTopic> topicsWith(Map<String, String> settings) {
    MockEnvironment environment = new MockEnvironment();
    settings.forEach(environment::setProperty);
    KafkaTopicsConfiguration configuration = new KafkaTopicsConfiguration();
    var replication = configuration.topicReplication(environment);
    var properties =
        Binder.get(environment).bindOrCreate("fleetline.ingest", IngestProperties.class);
    return List.of(
        configuration.pingsTopic(properties, replication),
        configuration.rejectedPingsTopic(properties, replication),
        configuration.devicesTopic(properties, replication));
  }

  private static List<Short> copiesWith(Map<String, String> settings) {
    return topicsWith(settings).stream().map(NewTopic::replicationFactor).toList();
  }

  @Test
  void everyTopicIngestCreatesTakesTheSharedReplicationAndAnImpossibleOneRefusesStart() {
    assertThat(topicsWith(Map.of(SHARED_COPIES, "3", IN_SYNC_COPIES, "2")))
        .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) 3))
        .allSatisfy(topic -> assertThat(topic.configs()).containsEntry("min.insync.replicas", "2"));

    assertThatThrownBy(() -> topicsWith(Map.of(SHARED_COPIES, "1", IN_SYNC_COPIES, "2")))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleetline.kafka.topics.min-insync-replicas (2)");
  }

  @Test
  void withNoReplicationFactorSetIngestsTopicsHaveOneCopyAndTheBrokersInSyncDefault() {
    assertThat(topicsWith(Map.of()))
        .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) 1))
        .allSatisfy(
            topic ->
                assertThat(Objects.requireNonNullElse(topic.configs(), Map.of()))
                    .doesNotContainKey("min.insync.replicas"));
  }

  @Test
  void anExplicitIngestReplicationFactorWinsOverTheSharedOne() {
    assertThat(copiesWith(Map.of(INGEST_COPIES, "2"))).containsOnly((short) 2);
    assertThat(copiesWith(Map.of(SHARED_COPIES, "3", IN_SYNC_COPIES, "2", INGEST_COPIES, "2")))
        .containsOnly((short) 2);
  }

  @Test
  void anIngestReplicationFactorBelowTheInSyncCopiesIsRefusedAtStart() {
    assertThatThrownBy(
            () -> topicsWith(Map.of(SHARED_COPIES, "3", IN_SYNC_COPIES, "2", INGEST_COPIES, "1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fleetline.ingest.topics.replication-factor (1)");
  }

  @Test
  void inSyncCopiesAboveTheOneCopyIngestFallsBackToAreRefusedAtStart() {
    assertThatThrownBy(() -> topicsWith(Map.of(IN_SYNC_COPIES, "2")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fleetline.ingest.topics.replication-factor (1)");
  }
}
