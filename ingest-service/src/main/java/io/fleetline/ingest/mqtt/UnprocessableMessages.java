package io.fleetline.ingest.mqtt;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.ingest.intake.PingIntake;
import io.fleetline.ingest.validation.Rejection;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * Records an MQTT message that ingest will not process (over the size limit, or failing in a way no
 * retry can fix) on the rejected topic, with at most the rejected topic's excerpt of its payload
 * (and the payload's full length), so that the message can be acknowledged and is not redelivered
 * forever.
 */
@Component
class UnprocessableMessages {

  private final PingIntake intake;

  UnprocessableMessages(PingIntake intake) {
    this.intake = intake;
  }

  /**
   * Completes once the rejection is durable; fails with {@link
   * io.fleetline.ingest.publish.PingsNotDurableException} when Kafka cannot take it now.
   */
  CompletableFuture<Void> reject(String identifier, byte[] payload, String detail) {
    return intake.rejectUnattributedAsync(
        String.valueOf(identifier),
        DeviceProtocol.MQTT.wireName(),
        payload,
        new Rejection(Rejection.MALFORMED, detail));
  }
}
