package io.fleetline.routing.position;

import io.fleetline.common.VehiclePing;

/**
 * What routing needs of a decoded ping to store it, whatever ingest checked before publishing it:
 * its keys and required columns present, and a position on the globe. A ping without them is no
 * more storable on a retry than an undecodable record, and goes the same way.
 */
final class StorablePing {

  private StorablePing() {}

  /** Why the ping cannot be stored; null when it can. */
  static String problem(VehiclePing ping) {
    if (ping.vehicleId() == null) {
      return "vehicleId is missing";
    }
    if (ping.fleetId() == null) {
      return "fleetId is missing";
    }
    if (ping.protocol() == null) {
      return "protocol is missing";
    }
    if (ping.recordedAt() == null) {
      return "recordedAt is missing";
    }
    if (ping.receivedAt() == null) {
      return "receivedAt is missing";
    }
    // Negated so that NaN fails too.
    if (!(Math.abs(ping.latitude()) <= 90)) {
      return "latitude is not within ±90°";
    }
    if (!(Math.abs(ping.longitude()) <= 180)) {
      return "longitude is not within ±180°";
    }
    return null;
  }
}
