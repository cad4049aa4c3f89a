package io.fleetline.ingest.mqtt;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.ingest.intake.PingIntake;
import io.fleetline.ingest.validation.Rejection;
import java.util.Arrays;
import org.springframework.stereotype.Component;

/**
 * Records an MQTT message that ingest will not process (over the size limit, or failing in a way no
 * retry can fix) on the rejected topic, with only the start of its payload, so that the message can
 * be acknowledged and is not redelivered forever.
 */
@Component
class UnprocessableMessages {

  /** Enough of a payload to see what a device sent, never the whole of an oversized one. */
  static final int EXCERPT_BYTES = 1024;

  private final PingIntake intake;

  UnprocessableMessages(PingIntake intake) {
    this.intake = intake;
  }

  /**
   * @throws io.fleetline.ingest.publish.PingsNotDurableException when Kafka cannot take it now
   */
  void reject(String identifier, byte[] payload, String detail) {
    intake.rejectUnattributed(
        String.valueOf(identifier),
        DeviceProtocol.MQTT.wireName(),
        Arrays.copyOf(payload, Math.min(payload.length, EXCERPT_BYTES)),
        new Rejection(Rejection.MALFORMED, detail));
  }
}
