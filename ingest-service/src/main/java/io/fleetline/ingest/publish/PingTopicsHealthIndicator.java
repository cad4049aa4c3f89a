package io.fleetline.ingest.publish;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Ingest is ready once the producer knows the partitions of the topics it writes; before that an
 * upload waits for them. Stays up through a later Kafka outage, whose uploads are answered 503.
 */
@Component
class PingTopicsHealthIndicator implements HealthIndicator {

  private final PingPublisher publisher;

  PingTopicsHealthIndicator(PingPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public Health health() {
    return (publisher.topicsKnown() ? Health.up() : Health.outOfService()).build();
  }
}
