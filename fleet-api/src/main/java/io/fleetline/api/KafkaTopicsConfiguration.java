package io.fleetline.api;

import io.fleetline.common.TopicReplication;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;

/** The compacted registry topic that fleet-api publishes, created at start-up when missing. */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfiguration {

  @Bean
  NewTopic devicesTopic(ApiProperties properties, TopicReplication replication) {
    return TopicBuilder.name(properties.devicesTopic())
        .partitions(3)
        .replicas(replication.replicationFactor())
        .configs(replication.topicConfigs())
        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
        .build();
  }

  /** How the registry topic is replicated: {@code fleetline.kafka.topics.*}, checked at start. */
  @Bean
  TopicReplication topicReplication(Environment environment) {
    return Binder.get(environment).bindOrCreate(TopicReplication.SETTINGS, TopicReplication.class);
  }
}
