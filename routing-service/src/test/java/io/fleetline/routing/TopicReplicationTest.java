package io.fleetline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

class TopicReplicationTest {

  private static List<NewTopic> routingsTopicsWith(String copies, String inSyncCopies) {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("fleetline.kafka.topics.replication-factor", copies)
            .withProperty("fleetline.kafka.topics.min-insync-replicas", inSyncCopies);
    KafkaConfiguration configuration = new KafkaConfiguration();
    var replication = configuration.topicReplication(environment);
    var properties =
        Binder.get(environment).bindOrCreate("fleetline.routing", RoutingProperties.class);
    return List.of(
        configuration.eventsTopic(properties, replication),
        configuration.deadLetterTopic(properties, replication));
  }

  @Test
  void theEventsAndDeadLetterTopicsTakeTheSharedReplicationAndAnImpossibleOneRefusesStart() {
    assertThat(routingsTopicsWith("3", "2"))
        .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) 3))
        .allSatisfy(topic -> assertThat(topic.configs()).containsEntry("min.insync.replicas", "2"));

    assertThatThrownBy(() -> routingsTopicsWith("1", "2"))
        .hasRootCauseMessage(
            "fleetline.kafka.topics.min-insync-replicas (2) is more than"
                + " fleetline.kafka.topics.replication-factor (1):"
                + " no write to the topics could ever be acknowledged");
  }
}
