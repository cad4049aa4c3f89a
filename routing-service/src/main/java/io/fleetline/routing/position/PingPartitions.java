package io.fleetline.routing.position;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;

/**
 * Tells the {@link HistoryFollower}s when ping partitions change hands, so that none keeps using
 * what it remembered about vehicles that another consumer may have written meanwhile.
 */
@Component
class PingPartitions implements ConsumerAwareRebalanceListener {

  private final List<HistoryFollower> followers;

  PingPartitions(List<HistoryFollower> followers) {
    this.followers = followers;
  }

  /** How a partition is named in locks and to followers: {@code topic-partition}. */
  static String name(String topic, int partition) {
    return topic + "-" + partition;
  }

  @Override
  public void onPartitionsRevokedBeforeCommit(
      Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    forget(partitions);
  }

  @Override
  public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    forget(partitions);
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    forget(partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    List<String> names = partitions.stream().map(p -> name(p.topic(), p.partition())).toList();
    followers.forEach(f -> f.forget(names));
  }
}
