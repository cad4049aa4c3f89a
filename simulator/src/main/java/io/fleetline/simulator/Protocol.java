package io.fleetline.simulator;

import java.util.Locale;

/**
 * The device protocols a simulated vehicle can speak; the wire name is the one ingest stamps on its
 * pings, and {@link #registeredAs()} the protocol fleet-api registers the device with.
 */
enum Protocol {
  HTTP,
  OSMAND,
  MQTT,
  TELTONIKA,
  /** The JSON pings of an http device, over CoAP with its token in the query. */
  COAP;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A CoAP device is an http device that talks CoAP; every other registers as it speaks. */
  String registeredAs() {
    return this == COAP ? HTTP.wireName() : wireName();
  }

  static Protocol fromWire(String name) {
    for (Protocol protocol : values()) {
      if (protocol.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) {
        return protocol;
      }
    }
    throw new IllegalArgumentException(
        "unknown protocol '" + name + "', expected http, osmand, mqtt, teltonika or coap");
  }
}
