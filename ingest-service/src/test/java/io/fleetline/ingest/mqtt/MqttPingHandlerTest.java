package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.registry.DeviceRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MqttPingHandlerTest {

  @Test
  void whileTheRegistryLoadsAMessageIsNeitherJudgedNorAcknowledged() {
    // No intake: judging the message (even rejecting it as from an unknown device) would reach it.
    MqttPingHandler handler = new MqttPingHandler(new DeviceRegistry(), null, null);
    byte[] ping =
        "{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":1,\"longitude\":2}"
            .getBytes(StandardCharsets.UTF_8);

    assertThat(handler.ready()).isFalse();
    assertThatThrownBy(() -> handler.handle("tracker-1", ping))
        .isInstanceOf(PingsNotDurableException.class)
        .hasMessageContaining("registry is still loading");
  }
}
