package io.fleetline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RelayedDeviceTest {

  @Test
  void theDeviceFieldNamesTheRelayedDevice() {
    assertThat(named("{\"latitude\":1,\"attributes\":{\"device\":\"x\"},\"device\":\"tag-1\"}"))
        .isEqualTo("tag-1");
  }

  @Test
  void aMissingOrNonTextDeviceNamesNone() {
    assertThat(named("{\"latitude\":1}")).isNull();
    assertThat(named("{\"device\":7}")).isNull();
    assertThat(named("{\"device\":{\"id\":\"tag-1\"}}")).isNull();
    assertThat(named("[1]")).isNull();
    assertThat(named("{\"device\":")).isNull();
  }

  @Test
  void aRepeatedDeviceFieldCountsOnceTheLastOne() {
    assertThat(named("{\"device\":\"tag-1\",\"device\":\"tag-2\"}")).isEqualTo("tag-2");
  }

  private static String named(String json) {
    return RelayedDevice.named(json.getBytes(StandardCharsets.UTF_8));
  }
}
