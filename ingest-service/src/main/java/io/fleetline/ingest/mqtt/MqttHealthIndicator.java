package io.fleetline.ingest.mqtt;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Reports the MQTT connection. Not part of readiness: a broker outage must not take the HTTP and
 * binary protocols out of service.
 */
@Component
class MqttHealthIndicator implements HealthIndicator {

  private final MqttProperties properties;
  private final MqttSubscriber subscriber;

  MqttHealthIndicator(MqttProperties properties, MqttSubscriber subscriber) {
    this.properties = properties;
    this.subscriber = subscriber;
  }

  @Override
  public Health health() {
    if (!properties.enabled()) {
      return Health.up().withDetail("enabled", false).build();
    }
    return (subscriber.isConnected() ? Health.up() : Health.down())
        .withDetail("url", properties.url())
        .build();
  }
}
