package io.fleetline.ingest.publish;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Whether the Kafka cluster answers. Part of overall health, deliberately not of readiness: while
 * Kafka is away ingest must keep answering devices with 503 and Retry-After (or withholding
 * acknowledgements), which it cannot do once a load balancer has taken it out of rotation.
 */
@Component
class KafkaHealthIndicator implements HealthIndicator {

  private final KafkaAdmin kafkaAdmin;
  private volatile AdminClient admin;

  KafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
    this.kafkaAdmin = kafkaAdmin;
  }

  @Override
  public Health health() {
    try {
      var cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs(2_000));
      int brokers = cluster.nodes().get(3, TimeUnit.SECONDS).size();
      return Health.up().withDetail("brokers", brokers).build();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
    }
  }

  private AdminClient admin() {
    AdminClient current = admin;
    if (current == null) {
      synchronized (this) {
        if (admin == null) {
          admin = AdminClient.create(kafkaAdmin.getConfigurationProperties());
        }
        current = admin;
      }
    }
    return current;
  }

  /** Closes the admin client with the application context. */
  @jakarta.annotation.PreDestroy
  void close() {
    if (admin != null) {
      admin.close();
    }
  }
}
