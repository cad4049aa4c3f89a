package io.fleetline.api.vehicle;

import io.fleetline.common.DeviceTokens;
import io.fleetline.common.MqttPasswordHash;

/**
 * A device's token and the hashes of it that are kept: the SHA-256 with which ingest looks up an
 * {@code http} device or a {@code gateway}, and for an {@code mqtt} device or a gateway the
 * password-file hash with which the broker checks its login. The token itself is shown once and
 * never stored.
 *
 * @param token the plain token, or null for protocols that identify devices otherwise
 */
record DeviceSecret(String token, String tokenSha256, String mqttPasswordHash) {

  static final DeviceSecret NONE = new DeviceSecret(null, null, null);

  /** Whether devices of this protocol authenticate with a token. */
  static boolean usesToken(String protocol) {
    return protocol.equals("http") || protocol.equals("mqtt") || protocol.equals("gateway");
  }

  /** A fresh secret for a device of this protocol; {@link #NONE} when it needs none. */
  static DeviceSecret issueFor(String protocol) {
    if (!usesToken(protocol)) {
      return NONE;
    }
    String token = DeviceTokens.newToken();
    return new DeviceSecret(
        token,
        DeviceTokens.sha256Hex(token),
        logsInToTheBroker(protocol)
            ? MqttPasswordHash.of(token, MqttPasswordHash.DEVICE_TOKEN_ITERATIONS)
            : null);
  }

  /** Whether devices of this protocol log in to the MQTT broker (username = identifier). */
  static boolean logsInToTheBroker(String protocol) {
    return protocol.equals("mqtt") || protocol.equals("gateway");
  }
}
