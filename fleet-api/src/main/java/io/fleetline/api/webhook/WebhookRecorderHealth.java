package io.fleetline.api.webhook;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Reports the instance down while its webhook delivery recorder cannot read the events (it keeps
 * trying, or it stopped): meanwhile no new deliveries are recorded.
 */
@Component("webhookRecorder")
class WebhookRecorderHealth implements HealthIndicator {

  private final DeliveryRecorder recorder;

  WebhookRecorderHealth(DeliveryRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public Health health() {
    String trouble = recorder.trouble();
    return trouble == null
        ? Health.up().build()
        : Health.down().withDetail("reading events", trouble).build();
  }
}
