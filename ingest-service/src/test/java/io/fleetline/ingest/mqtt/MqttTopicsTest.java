package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MqttTopicsTest {

  static final String FILTER = "fleetline/devices/+/pings";

  @Test
  void theIdentifierIsTheWildcardLevel() {
    assertThat(MqttTopics.deviceIdentifier(FILTER, "fleetline/devices/truck-7/pings"))
        .isEqualTo("truck-7");
  }

  @Test
  void topicsOfAnotherShapeHaveNoIdentifier() {
    assertThat(MqttTopics.deviceIdentifier(FILTER, "fleetline/devices/truck-7/status")).isNull();
    assertThat(MqttTopics.deviceIdentifier(FILTER, "fleetline/devices/a/b/pings")).isNull();
    assertThat(MqttTopics.deviceIdentifier(FILTER, "fleetline/devices//pings")).isNull();
  }
}
