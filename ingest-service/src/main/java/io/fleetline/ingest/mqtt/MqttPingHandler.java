package io.fleetline.ingest.mqtt;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.gateway.GatewayRelay;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.intake.PingIntake;
import io.fleetline.ingest.json.PingJson;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.validation.DeviceText;
import io.fleetline.ingest.validation.Rejection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * Hands one MQTT message to Kafka: pings of a known device go through the shared intake, anything
 * else (unknown device, unreadable payload) goes to the rejected topic. The answer is a future that
 * completes only when the message may be acknowledged to the broker; nothing here waits for Kafka.
 * Until the device registry has loaded no device is known yet, so nothing may be judged: a message
 * then stays unacknowledged for the broker to redeliver.
 */
@Component
class MqttPingHandler {

  private static final String PROTOCOL = DeviceProtocol.MQTT.wireName();

  private final DeviceRegistry registry;
  private final PingIntake intake;
  private final IngestProperties ingest;
  private final GatewayRelay relay;

  MqttPingHandler(
      DeviceRegistry registry, PingIntake intake, IngestProperties ingest, GatewayRelay relay) {
    this.registry = registry;
    this.intake = intake;
    this.ingest = ingest;
    this.relay = relay;
  }

  /** Whether messages can be judged: the device registry has loaded. */
  boolean ready() {
    return registry.isLoaded();
  }

  /**
   * Judges the message now and returns once it is handed to Kafka. The future fails with {@link
   * PingsNotDurableException} when Kafka cannot take it now or the registry is loading, and with
   * any other exception when the message cannot be processed at all.
   */
  CompletableFuture<Void> handle(String identifier, byte[] payload) {
    return handle(DeviceProtocol.MQTT, identifier, payload);
  }

  /**
   * Like {@link #handle}, for a message on a gateway's topic: each item is attributed to the
   * relayed device it names, as {@link GatewayRelay} decides.
   */
  CompletableFuture<Void> handleGateway(String identifier, byte[] payload) {
    return handle(DeviceProtocol.GATEWAY, identifier, payload);
  }

  private CompletableFuture<Void> handle(
      DeviceProtocol publisher, String identifier, byte[] payload) {
    if (!ready()) {
      return CompletableFuture.failedFuture(
          new PingsNotDurableException("the device registry is still loading", null));
    }
    Optional<DeviceRegistration> device =
        identifier == null ? Optional.empty() : registry.find(new DeviceKey(publisher, identifier));
    if (device.isEmpty() || !device.get().enabled()) {
      String reason = device.isEmpty() ? Rejection.UNKNOWN_DEVICE : Rejection.DEVICE_DISABLED;
      return intake.rejectUnattributedAsync(
          String.valueOf(identifier),
          PROTOCOL,
          payload,
          new Rejection(
              reason,
              (publisher == DeviceProtocol.GATEWAY ? "MQTT gateway " : "MQTT device ")
                  + DeviceText.quoted(String.valueOf(identifier))
                  + " is "
                  + reason.replace('_', ' ')));
    }
    List<DecodedPing> items;
    try {
      items = PingJson.decode(payload, ingest.maxBatchSize());
    } catch (PingJson.MalformedBodyException e) {
      return intake.rejectUnattributedAsync(
          device.get().vehicleId().toString(),
          PROTOCOL,
          payload,
          new Rejection(Rejection.MALFORMED, e.getMessage()));
    }
    return (GatewayRelay.isGateway(device.get())
            ? intake.acceptAttributedAsync(PROTOCOL, relay.attribute(device.get(), items))
            : intake.acceptAsync(device.get(), PROTOCOL, items))
        .thenApply(result -> null);
  }
}
