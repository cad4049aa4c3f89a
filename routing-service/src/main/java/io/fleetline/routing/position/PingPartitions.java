package io.fleetline.routing.position;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;

/**
 * Tells the {@link HistoryFollower}s when ping partitions change hands, so that none keeps using
 * what it remembered about vehicles that another consumer may have written meanwhile; and the
 * {@link PartitionFence}, so that a consumer given partitions fences their previous owner.
 */
@Component
class PingPartitions implements ConsumerAwareRebalanceListener {

  /** This process, as the owners of partitions name it. */
  private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();

  private final List<HistoryFollower> followers;
  private final PartitionFence fence;

  PingPartitions(List<HistoryFollower> followers, PartitionFence fence) {
    this.followers = followers;
    this.fence = fence;
  }

  /** How a partition is named in locks and to followers: {@code topic-partition}. */
  static String name(String topic, int partition) {
    return topic + "-" + partition;
  }

  @Override
  public void onPartitionsRevokedBeforeCommit(
      Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    fence.released(forget(partitions));
  }

  @Override
  public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    fence.released(forget(partitions));
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    fence.assigned(forget(partitions), PROCESS + " " + consumer.groupMetadata().memberId());
  }

  private List<String> forget(Collection<TopicPartition> partitions) {
    List<String> names = partitions.stream().map(p -> name(p.topic(), p.partition())).toList();
    followers.forEach(f -> f.forget(names));
    return names;
  }
}
