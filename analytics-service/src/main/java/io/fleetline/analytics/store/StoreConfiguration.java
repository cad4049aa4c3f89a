package io.fleetline.analytics.store;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** Error handling of the findings consumer. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

  /**
   * A batch that cannot be stored (typically: the database is away) is retried from its first
   * record, with back-off and without limit: findings must not be skipped, only delayed.
   */
  @Bean
  DefaultErrorHandler findingsErrorHandler() {
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
    backOff.setMaxInterval(10_000);
    return new DefaultErrorHandler(backOff);
  }
}
