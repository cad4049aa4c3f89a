package io.fleetline.routing.position;

import io.fleetline.common.VehiclePing;
import java.time.Instant;

/**
 * What routing needs of a decoded ping to store it, whatever ingest checked before publishing it:
 * its keys and required columns present, a position on the globe, and times the history keeps. A
 * ping without them is no more storable on a retry than an undecodable record, and goes the same
 * way.
 */
final class StorablePing {

  private StorablePing() {}

  /**
   * Why the ping cannot be stored; null when it can. Its recorded time must lie within {@code
   * [oldest, newest]} (history retention, clock skew), and so must its received time: a time beyond
   * would make a partition never dropped, pin the vehicle's latest position, or not fit the
   * database's microseconds.
   */
  static String problem(VehiclePing ping, Instant oldest, Instant newest) {
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
    if (!(Math.abs(ping.measurements().latitude()) <= 90)) {
      return "latitude is not within ±90°";
    }
    if (!(Math.abs(ping.measurements().longitude()) <= 180)) {
      return "longitude is not within ±180°";
    }
    if (ping.recordedAt().isBefore(oldest)) {
      return "recordedAt is older than the history is kept";
    }
    if (ping.recordedAt().isAfter(newest)) {
      return "recordedAt is too far in the future";
    }
    if (ping.receivedAt().isBefore(oldest)) {
      return "receivedAt is older than the history is kept";
    }
    if (ping.receivedAt().isAfter(newest)) {
      return "receivedAt is too far in the future";
    }
    return null;
  }
}
