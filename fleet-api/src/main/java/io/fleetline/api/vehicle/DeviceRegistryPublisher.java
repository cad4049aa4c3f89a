package io.fleetline.api.vehicle;

import io.fleetline.api.ApiProperties;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.FleetlineJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Publishes the device registry to the compacted devices topic that every ingest instance reads:
 * each change after its transaction commits, and the whole registry at start-up and periodically,
 * which repairs any change whose publication failed.
 */
@Component
class DeviceRegistryPublisher {

  private static final Logger log = LoggerFactory.getLogger(DeviceRegistryPublisher.class);

  private final KafkaTemplate<String, byte[]> kafka;
  private final DeviceRepository devices;
  private final String topic;

  DeviceRegistryPublisher(
      KafkaTemplate<String, byte[]> kafka, DeviceRepository devices, ApiProperties properties) {
    this.kafka = kafka;
    this.devices = devices;
    this.topic = properties.devicesTopic();
  }

  /** Devices that changed in a committed transaction. */
  record DevicesChanged(List<DeviceRegistration> registrations) {}

  /** Devices removed in a committed transaction, by registry key ({@code protocol:identifier}). */
  record DevicesRemoved(List<String> keys) {}

  @TransactionalEventListener
  void publishRemovals(DevicesRemoved removed) {
    try {
      List<CompletableFuture<?>> acks = new ArrayList<>(removed.keys().size());
      for (String key : removed.keys()) {
        acks.add(kafka.send(topic, key, null));
      }
      await(acks);
    } catch (RuntimeException e) {
      log.error(
          "Could not publish {} registry tombstones: {}", removed.keys().size(), e.getMessage());
    }
  }

  @TransactionalEventListener
  void publishChanges(DevicesChanged changed) {
    try {
      send(changed.registrations());
    } catch (RuntimeException e) {
      log.error(
          "Could not publish {} registry changes now; the next reconcile will: {}",
          changed.registrations().size(),
          e.getMessage());
    }
  }

  @EventListener(ApplicationReadyEvent.class)
  @Scheduled(
      initialDelayString = "${fleetline.api.registry-reconcile-interval:10m}",
      fixedDelayString = "${fleetline.api.registry-reconcile-interval:10m}")
  @Transactional(readOnly = true)
  public void reconcile() {
    List<DeviceRegistration> batch = new ArrayList<>(1000);
    int[] total = {0};
    try (var all = devices.streamAll()) {
      all.forEach(
          device -> {
            batch.add(device.toRegistration());
            if (batch.size() == 1000) {
              send(batch);
              total[0] += batch.size();
              batch.clear();
            }
          });
    }
    send(batch);
    total[0] += batch.size();
    log.info("Device registry reconciled: {} devices published to {}", total[0], topic);
  }

  private void send(List<DeviceRegistration> registrations) {
    List<CompletableFuture<?>> acks = new ArrayList<>(registrations.size());
    for (DeviceRegistration registration : registrations) {
      acks.add(kafka.send(topic, registration.key().toString(), FleetlineJson.write(registration)));
    }
    await(acks);
  }

  private static void await(List<CompletableFuture<?>> acks) {
    try {
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Kafka did not take the registry update", e);
    }
  }
}
