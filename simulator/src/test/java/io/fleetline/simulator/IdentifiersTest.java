package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

  @Test
  void teltonikaDevicesGetFifteenDigitImeisWithAValidLuhnCheckDigit() {
    String imei = Identifiers.of(Protocol.TELTONIKA, "k3f9", 42);
    assertThat(imei).matches("35\\d{13}");
    assertThat(imei.substring(8, 14)).isEqualTo("000042");
    assertThat(Identifiers.luhn(imei.substring(0, 14))).isEqualTo(imei.charAt(14) - '0');
    // a published example IMEI: 49015420323751 has check digit 8
    assertThat(Identifiers.luhn("49015420323751")).isEqualTo(8);
  }

  @Test
  void otherDevicesAreNamedForTheRun() {
    assertThat(Identifiers.of(Protocol.MQTT, "k3f9", 7)).isEqualTo("sim-k3f9-7");
    assertThat(InvalidKind.unknownIdentifier(Protocol.MQTT, "sim-k3f9-7"))
        .isEqualTo("unknown-sim-k3f9-7");
    assertThat(InvalidKind.unknownIdentifier(Protocol.TELTONIKA, "350000000000013"))
        .startsWith("99");
  }
}
