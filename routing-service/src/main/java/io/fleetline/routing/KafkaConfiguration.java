package io.fleetline.routing;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** Consumer error handling and the topics routing owns. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

  /**
   * A failed batch (typically: the database is away) is retried from its first record, with
   * back-off and without limit: pings must not be skipped, only delayed.
   */
  @Bean
  DefaultErrorHandler batchErrorHandler() {
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
    backOff.setMaxInterval(10_000);
    return new DefaultErrorHandler(backOff);
  }

  @Bean
  NewTopic deadLetterTopic(RoutingProperties properties) {
    return TopicBuilder.name(properties.deadLetterTopic()).partitions(1).build();
  }
}
