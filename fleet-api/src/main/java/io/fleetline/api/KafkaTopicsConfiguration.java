package io.fleetline.api;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The compacted registry topic that fleet-api publishes, created at start-up when missing. */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfiguration {

  @Bean
  NewTopic devicesTopic(ApiProperties properties, TopicReplication replication) {
    return replication
        .applyTo(
            TopicBuilder.name(properties.devicesTopic())
                .partitions(3)
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
        .build();
  }
}
