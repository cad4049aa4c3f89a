package io.fleetline.ingest;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Declares the topics ingest writes and reads, so a fresh broker gets them at start-up. */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfiguration {

  @Bean
  NewTopic pingsTopic(IngestProperties properties, TopicReplication replication) {
    var topics = properties.topics();
    return replication
        .applyTo(
            TopicBuilder.name(topics.pings()).partitions(topics.pingPartitions()),
            topics.replicationFactor())
        .build();
  }

  @Bean
  NewTopic rejectedPingsTopic(IngestProperties properties, TopicReplication replication) {
    var topics = properties.topics();
    return replication
        .applyTo(
            TopicBuilder.name(topics.rejected()).partitions(topics.pingPartitions()),
            topics.replicationFactor())
        .build();
  }

  @Bean
  NewTopic devicesTopic(IngestProperties properties, TopicReplication replication) {
    var topics = properties.topics();
    return replication
        .applyTo(
            TopicBuilder.name(topics.devices())
                .partitions(3)
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
            topics.replicationFactor())
        .build();
  }
}
