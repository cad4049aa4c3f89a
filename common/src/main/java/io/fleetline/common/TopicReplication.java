package io.fleetline.common;

import java.util.Map;

/**
 * How the topics a service creates are replicated ({@code fleetline.kafka.topics.*}), the same
 * settings every service reads for its own topics. Kafka applies them only when it creates a topic;
 * a topic that exists keeps its own. Each service binds it from its configuration under {@link
 * #SETTINGS}.
 *
 * @param replicationFactor copies of each partition; -1 (or any value below 1) leaves it to the
 *     broker's {@code default.replication.factor}
 * @param minInsyncReplicas copies that must hold a write before an {@code acks=all} producer (all
 *     of Fleetline's) is answered; 0 leaves it to the broker's {@code min.insync.replicas}. More
 *     than an explicit replication factor is refused.
 */
public record TopicReplication(short replicationFactor, int minInsyncReplicas) {

  /** Where the settings live in every service's configuration. */
  public static final String SETTINGS = "fleetline.kafka.topics";

  /** Kafka's topic setting for the in-sync copies (a topic config, not a broker default). */
  static final String MIN_INSYNC_REPLICAS_CONFIG = "min.insync.replicas";

  /** A setting left out binds as 0, which leaves it to the broker just as -1 does. */
  public TopicReplication {
    replicationFactor = replicationFactor > 0 ? replicationFactor : -1;
    minInsyncReplicas = Math.max(minInsyncReplicas, 0);
    if (replicationFactor > 0 && minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException(
          SETTINGS
              + ".min-insync-replicas ("
              + minInsyncReplicas
              + ") is more than "
              + SETTINGS
              + ".replication-factor ("
              + replicationFactor
              + "): no write to the topics could ever be acknowledged");
    }
  }

  /**
   * Copies of each partition of topics for which a service has a factor of its own: {@code own}
   * where set (above 0), these settings' where not; -1 where neither is.
   */
  public short replicationFactorOr(int own) {
    return own > 0 ? (short) own : replicationFactor;
  }

  /**
   * Refuses {@code copies} of a topic (named by the {@code setting} they came from) fewer than the
   * in-sync copies every write waits for, saying what could then never succeed.
   *
   * @throws IllegalStateException where {@code copies} is set and below {@link
   *     #minInsyncReplicas()}
   */
  public void requireInSync(int copies, String setting, String whatCouldNeverSucceed) {
    if (copies > 0 && minInsyncReplicas > copies) {
      throw new IllegalStateException(
          setting
              + " ("
              + copies
              + ") is less than "
              + SETTINGS
              + ".min-insync-replicas ("
              + minInsyncReplicas
              + "): "
              + whatCouldNeverSucceed);
    }
  }

  /** The settings of each topic these apply to, as Kafka names them: none where all are unset. */
  public Map<String, String> topicConfigs() {
    return minInsyncReplicas > 0
        ? Map.of(MIN_INSYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas))
        : Map.of();
  }
}
