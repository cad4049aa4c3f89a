package io.fleetline.common;

import java.util.Locale;

/** The ways a device can talk to ingest; the wire name is what clients and topics use. */
public enum DeviceProtocol {
  HTTP,
  OSMAND,
  MQTT,
  TELTONIKA,
  /** Uploads, with its own token, the pings of the devices on its registration's relay list. */
  GATEWAY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name such as {@code http}; unknown names are an {@link IllegalArgumentException}.
   */
  public static DeviceProtocol fromWire(String wireName) {
    for (DeviceProtocol protocol : values()) {
      if (protocol.wireName().equals(wireName)) {
        return protocol;
      }
    }
    throw new IllegalArgumentException(
        "unknown protocol '"
            + wireName
            + "', expected one of http, osmand, mqtt, teltonika, gateway");
  }
}
