package io.fleetline.ingest;

import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.config.TopicBuilder;

/**
 * How the topics ingest creates are replicated ({@code fleetline.kafka.topics.*}), the same
 * settings every service reads for its own topics. Kafka applies them only when it creates a topic;
 * a topic that exists keeps its own.
 *
 * @param replicationFactor copies of each partition where {@code
 *     fleetline.ingest.topics.replication-factor} is not set; -1: one copy
 * @param minInsyncReplicas copies that must hold a write before an {@code acks=all} producer (all
 *     of Fleetline's) is answered; 0 leaves it to the broker's {@code min.insync.replicas}. More
 *     than an explicit replication factor is refused at start.
 */
@ConfigurationProperties("fleetline.kafka.topics")
record TopicReplication(
    @DefaultValue("-1") short replicationFactor, @DefaultValue("0") int minInsyncReplicas) {

  TopicReplication {
    if (replicationFactor > 0 && minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException(
          "fleetline.kafka.topics.min-insync-replicas ("
              + minInsyncReplicas
              + ") is more than fleetline.kafka.topics.replication-factor ("
              + replicationFactor
              + "): no write to the topics could ever be acknowledged");
    }
  }

  /**
   * The topic with {@code ownReplicationFactor} copies ({@code
   * fleetline.ingest.topics.replication-factor}) where set, with these where not, and with one
   * where neither is; refuses fewer copies than must be in sync.
   */
  TopicBuilder applyTo(TopicBuilder topic, short ownReplicationFactor) {
    short copies =
        ownReplicationFactor > 0
            ? ownReplicationFactor
            : replicationFactor > 0 ? replicationFactor : 1;
    if (minInsyncReplicas > copies) {
      throw new IllegalStateException(
          "fleetline.ingest.topics.replication-factor ("
              + copies
              + ") is less than fleetline.kafka.topics.min-insync-replicas ("
              + minInsyncReplicas
              + "): no write to the topics could ever be acknowledged");
    }
    topic.replicas(copies);
    if (minInsyncReplicas > 0) {
      topic.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
    }
    return topic;
  }
}
