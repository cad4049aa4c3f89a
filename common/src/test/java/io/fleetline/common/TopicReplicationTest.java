package io.fleetline.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicReplicationTest {

  private static final String INGEST_FACTOR = "fleetline.ingest.topics.replication-factor";
  private static final String NO_WRITE = "no write to the topics could ever be acknowledged";

  @Test
  void unsetSettingsLeaveCopiesAndInSyncCopiesToTheBroker() {
    TopicReplication unset = new TopicReplication((short) -1, 0);

    assertThat(unset.replicationFactor()).isEqualTo((short) -1);
    assertThat(unset.replicationFactorOr(-1)).isEqualTo((short) -1);
    assertThat(unset.topicConfigs()).isEmpty();
  }

  @Test
  void settingsLeftOutOfTheConfigurationBindAsZeroAndMeanTheBrokersDefaultsToo() {
    TopicReplication leftOut = new TopicReplication((short) 0, 0);

    assertThat(leftOut).isEqualTo(new TopicReplication((short) -1, 0));
    assertThat(new TopicReplication((short) -7, -3)).isEqualTo(leftOut);
  }

  @Test
  void onAThreeBrokerClusterTopicsHaveThreeCopiesTwoOfThemInSync() {
    TopicReplication scaledOut = new TopicReplication((short) 3, 2);

    assertThat(scaledOut.replicationFactorOr(-1)).isEqualTo((short) 3);
    assertThat(scaledOut.topicConfigs()).isEqualTo(Map.of("min.insync.replicas", "2"));
  }

  @Test
  void inSyncCopiesAloneAreSetOnTheTopicAndTheCopiesLeftToTheBroker() {
    TopicReplication inSyncOnly = new TopicReplication((short) -1, 2);

    assertThat(inSyncOnly.replicationFactorOr(-1)).isEqualTo((short) -1);
    assertThat(inSyncOnly.topicConfigs()).isEqualTo(Map.of("min.insync.replicas", "2"));
  }

  @Test
  void moreInSyncCopiesThanTopicCopiesAreRefused() {
    assertThatThrownBy(() -> new TopicReplication((short) 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "fleetline.kafka.topics.min-insync-replicas (2) is more than"
                + " fleetline.kafka.topics.replication-factor (1): "
                + NO_WRITE);
  }

  @Test
  void asManyInSyncCopiesAsTopicCopiesAreAccepted() {
    assertThat(new TopicReplication((short) 2, 2).topicConfigs())
        .containsEntry("min.insync.replicas", "2");
  }

  @Test
  void aServicesOwnFactorWinsOverTheSharedOneWhereSet() {
    TopicReplication scaledOut = new TopicReplication((short) 3, 2);

    assertThat(scaledOut.replicationFactorOr(2)).isEqualTo((short) 2);
    assertThat(scaledOut.replicationFactorOr(0)).isEqualTo((short) 3);
    assertThat(scaledOut.replicationFactorOr(-1)).isEqualTo((short) 3);
  }

  @Test
  void copiesBelowTheInSyncCopiesAreRefusedNamingTheSettingTheyCameFrom() {
    TopicReplication scaledOut = new TopicReplication((short) 3, 2);

    assertThatThrownBy(() -> scaledOut.requireInSync(1, INGEST_FACTOR, NO_WRITE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "fleetline.ingest.topics.replication-factor (1) is less than"
                + " fleetline.kafka.topics.min-insync-replicas (2): "
                + NO_WRITE);
  }

  @Test
  void copiesLeftToTheBrokerOrAtLeastTheInSyncCopiesAreAccepted() {
    TopicReplication scaledOut = new TopicReplication((short) 3, 2);

    scaledOut.requireInSync(-1, INGEST_FACTOR, NO_WRITE);
    scaledOut.requireInSync(2, INGEST_FACTOR, NO_WRITE);
    new TopicReplication((short) -1, 0).requireInSync(1, INGEST_FACTOR, NO_WRITE);
  }
}
