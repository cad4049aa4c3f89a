package io.fleetline.ingest;

import io.fleetline.common.TopicReplication;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;

/** Declares the topics ingest writes and reads, so a fresh broker gets them at start-up. */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfiguration {

  @Bean
  NewTopic pingsTopic(IngestProperties properties, TopicReplication replication) {
    var topics = properties.topics();
    return replicated(TopicBuilder.name(topics.pings()), topics, replication)
        .partitions(topics.pingPartitions())
        .build();
  }

  @Bean
  NewTopic rejectedPingsTopic(IngestProperties properties, TopicReplication replication) {
    var topics = properties.topics();
    return replicated(TopicBuilder.name(topics.rejected()), topics, replication)
        .partitions(topics.pingPartitions())
        .build();
  }

  @Bean
  NewTopic devicesTopic(IngestProperties properties, TopicReplication replication) {
    var topics = properties.topics();
    return replicated(TopicBuilder.name(topics.devices()), topics, replication)
        .partitions(3)
        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
        .build();
  }

  /** How ingest's topics are replicated: {@code fleetline.kafka.topics.*}, checked at start. */
  @Bean
  TopicReplication topicReplication(Environment environment) {
    return Binder.get(environment).bindOrCreate(TopicReplication.SETTINGS, TopicReplication.class);
  }

  /**
   * The topic with ingest's own replication factor where set, the shared one where not, and one
   * copy where neither is; fewer copies than must be in sync refuse start.
   */
  private static TopicBuilder replicated(
      TopicBuilder topic, IngestProperties.TopicNames topics, TopicReplication replication) {
    short copies = (short) Math.max(replication.replicationFactorOr(topics.replicationFactor()), 1);
    replication.requireInSync(
        copies,
        "fleetline.ingest.topics.replication-factor",
        "no write to the topics could ever be acknowledged");
    return topic.replicas(copies).configs(replication.topicConfigs());
  }
}
