package io.fleetline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

class TopicReplicationTest {

  private static NewTopic devicesTopicWith(String copies, String inSyncCopies) {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("fleetline.kafka.topics.replication-factor", copies)
            .withProperty("fleetline.kafka.topics.min-insync-replicas", inSyncCopies);
    KafkaTopicsConfiguration configuration = new KafkaTopicsConfiguration();
    return configuration.devicesTopic(
        Binder.get(environment).bindOrCreate("fleetline.api", ApiProperties.class),
        configuration.topicReplication(environment));
  }

  @Test
  void theDeviceRegistryTopicTakesTheSharedReplicationAndAnImpossibleOneRefusesStart() {
    NewTopic devices = devicesTopicWith("3", "2");
    assertThat(devices.replicationFactor()).isEqualTo((short) 3);
    assertThat(devices.configs())
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("cleanup.policy", "compact");

    assertThatThrownBy(() -> devicesTopicWith("1", "2"))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleetline.kafka.topics.min-insync-replicas (2)");
  }
}
