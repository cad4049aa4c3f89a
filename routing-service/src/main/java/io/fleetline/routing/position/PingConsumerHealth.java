package io.fleetline.routing.position;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the ping consumer ({@code pingConsumer} in the readiness group): DOWN while batches
 * fail to store (the database is away, say) and the consumer is retrying, UP again after the next
 * stored batch.
 */
@Component("pingConsumer")
class PingConsumerHealth implements HealthIndicator {

  private record LastAttempt(boolean stored, Instant at, String error) {}

  private final AtomicReference<LastAttempt> last =
      new AtomicReference<>(new LastAttempt(true, Instant.now(), null));

  void stored() {
    last.set(new LastAttempt(true, Instant.now(), null));
  }

  void failed(Exception e) {
    last.set(new LastAttempt(false, Instant.now(), e.getClass().getSimpleName()));
  }

  @Override
  public Health health() {
    LastAttempt attempt = last.get();
    if (attempt.stored()) {
      return Health.up().withDetail("lastStoredAt", attempt.at().toString()).build();
    }
    return Health.down()
        .withDetail("failingSince", attempt.at().toString())
        .withDetail("error", attempt.error())
        .build();
  }
}
