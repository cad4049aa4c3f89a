package io.fleetline.simulator;

import java.util.Locale;

/** The device protocols a simulated vehicle can speak; the wire name is fleet-api's. */
enum Protocol {
  HTTP,
  OSMAND,
  MQTT,
  TELTONIKA;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Protocol fromWire(String name) {
    for (Protocol protocol : values()) {
      if (protocol.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) {
        return protocol;
      }
    }
    throw new IllegalArgumentException(
        "unknown protocol '" + name + "', expected http, osmand, mqtt or teltonika");
  }
}
