package io.fleetline.ingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.awaitility.Awaitility;

/**
 * Several real Kafka brokers in JVMs of their own, each both broker and KRaft controller of one
 * quorum, as a production cluster of three runs: any one of them can be killed and started again
 * while the others carry on. Internal topics are replicated to every broker (at most three) and
 * need two in sync.
 */
public final class KafkaCluster implements AutoCloseable {

  private final List<KafkaBrokerProcess> brokers;

  private KafkaCluster(List<KafkaBrokerProcess> brokers) {
    this.brokers = brokers;
  }

  /**
   * Formats fresh storage for {@code size} nodes, starts them together and waits until each
   * answers; {@code settings} override the defaults of every node (e.g. {@code
   * default.replication.factor}).
   */
  public static KafkaCluster start(int size, Map<String, String> settings) {
    List<KafkaBrokerProcess> brokers = new ArrayList<>();
    try {
      int[] ports = new int[size];
      int[] controllerPorts = new int[size];
      List<String> voters = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        ports[i] = KafkaBrokerProcess.freePort();
        controllerPorts[i] = KafkaBrokerProcess.freePort();
        voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
      }
      Map<String, String> nodeSettings = new HashMap<>(internalTopicSettings(size));
      nodeSettings.putAll(settings);
      String clusterId = KafkaBrokerProcess.randomClusterId();
      for (int i = 0; i < size; i++) {
        brokers.add(
            KafkaBrokerProcess.format(
                i + 1,
                ports[i],
                controllerPorts[i],
                String.join(",", voters),
                nodeSettings,
                clusterId));
      }
      // A controller elects a leader only with a majority of the quorum running.
      brokers.forEach(KafkaBrokerProcess::launch);
      brokers.forEach(KafkaBrokerProcess::awaitStarted);
      return new KafkaCluster(List.copyOf(brokers));
    } catch (IOException | RuntimeException e) {
      for (KafkaBrokerProcess broker : brokers) {
        try {
          broker.close();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  private static Map<String, String> internalTopicSettings(int size) {
    String replicas = Integer.toString(Math.min(size, 3));
    String minInSync = Integer.toString(Math.min(size, 2));
    return Map.of(
        "offsets.topic.replication.factor", replicas,
        "transaction.state.log.replication.factor", replicas,
        "transaction.state.log.min.isr", minInSync,
        "share.coordinator.state.topic.replication.factor", replicas,
        "share.coordinator.state.topic.min.isr", minInSync);
  }

  /** Every broker's address, as clients are configured with them. */
  public String bootstrapServers() {
    return brokers.stream()
        .map(KafkaBrokerProcess::bootstrapServers)
        .collect(Collectors.joining(","));
  }

  public int size() {
    return brokers.size();
  }

  /** The broker of node id {@code index + 1}. */
  public KafkaBrokerProcess broker(int index) {
    return brokers.get(index);
  }

  /**
   * Waits until every partition of every topic has all its replicas in sync: after a broker came
   * back, it has caught up with what was written while it was away.
   */
  public void awaitFullyReplicated(Duration timeout) {
    Awaitility.await("every partition's replicas in sync")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> underReplicated().isEmpty());
  }

  /** Partitions, as {@code topic-partition}, with a replica out of sync. */
  public List<String> underReplicated() throws Exception {
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", bootstrapServers(), "request.timeout.ms", 5000))) {
      var names =
          admin
              .listTopics(new ListTopicsOptions().listInternal(true))
              .names()
              .get(10, TimeUnit.SECONDS);
      Map<String, TopicDescription> topics =
          admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
      List<String> lagging = new ArrayList<>();
      for (TopicDescription topic : topics.values()) {
        for (TopicPartitionInfo partition : topic.partitions()) {
          if (partition.isr().size() < partition.replicas().size()) {
            lagging.add(topic.name() + "-" + partition.partition());
          }
        }
      }
      return lagging;
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (KafkaBrokerProcess broker : brokers) {
      broker.close();
    }
  }
}
