package io.fleetline.routing;

import io.fleetline.common.TopicReplication;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** Consumer error handling and the topics routing owns. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

  /**
   * A failed batch (typically: the database is away) is retried from its first record, with
   * back-off and without limit: pings must not be skipped, only delayed. A ping the database
   * refuses for its content never gets here: the listener isolates it to the dead-letter topic.
   */
  @Bean
  DefaultErrorHandler batchErrorHandler() {
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
    backOff.setMaxInterval(10_000);
    return new DefaultErrorHandler(backOff);
  }

  @Bean
  NewTopic deadLetterTopic(RoutingProperties properties, TopicReplication replication) {
    return TopicBuilder.name(properties.deadLetterTopic())
        .partitions(1)
        .replicas(replication.replicationFactor())
        .configs(replication.topicConfigs())
        .build();
  }

  /**
   * The events topic routing publishes to. Brokers run with topic auto-creation off (as the local
   * stack's does), and a producer waiting for a topic that never comes blocks every batch for
   * {@code max.block.ms}: create it at start-up, keyed like the pings.
   */
  @Bean
  NewTopic eventsTopic(RoutingProperties properties, TopicReplication replication) {
    return TopicBuilder.name(properties.eventsTopic())
        .partitions(properties.eventsPartitions())
        .replicas(replication.replicationFactor())
        .configs(replication.topicConfigs())
        .build();
  }

  /** How routing's topics are replicated: {@code fleetline.kafka.topics.*}, checked at start. */
  @Bean
  TopicReplication topicReplication(Environment environment) {
    return Binder.get(environment).bindOrCreate(TopicReplication.SETTINGS, TopicReplication.class);
  }
}
