package io.fleetline.ingest.registry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Ingest is ready only once it knows the registered devices; before that it would reject all. */
@Component
class DeviceRegistryHealthIndicator implements HealthIndicator {

  private final DeviceRegistry registry;

  DeviceRegistryHealthIndicator(DeviceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Health health() {
    Health.Builder builder = registry.isLoaded() ? Health.up() : Health.outOfService();
    return builder.withDetail("devices", registry.size()).build();
  }
}
