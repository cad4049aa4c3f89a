package io.fleetline.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeoTest {

  @Test
  void berlinToParisIsAbout878Kilometres() {
    double meters = Geo.haversineMeters(52.5200, 13.4050, 48.8566, 2.3522);

    assertThat(meters).isCloseTo(877_500, within(2_000.0));
  }

  @Test
  void samePointIsZeroAndDistanceIsSymmetric() {
    assertThat(Geo.haversineMeters(10, 20, 10, 20)).isZero();
    assertThat(Geo.haversineMeters(1, 2, 3, 4)).isEqualTo(Geo.haversineMeters(3, 4, 1, 2));
  }

  @Test
  void tokenHashesCompareByValue() {
    String token = DeviceTokens.newToken();

    assertThat(
            DeviceTokens.hashesEqual(DeviceTokens.sha256Hex(token), DeviceTokens.sha256Hex(token)))
        .isTrue();
    assertThat(DeviceTokens.sha256Hex(token))
        .hasSize(64)
        .isNotEqualTo(DeviceTokens.sha256Hex(token + "x"));
  }
}
