package io.fleetline.analytics.stream;

import io.fleetline.common.Measurements;
import io.fleetline.common.VehiclePing;
import java.time.Instant;

/**
 * What analytics keeps of one ping: the event time and the readings its detectors use.
 *
 * @param recordedAt event time, when the device measured it
 * @param receivedAt when ingest accepted it
 */
public record Sample(
    Instant recordedAt,
    Instant receivedAt,
    double latitude,
    double longitude,
    Double speedKmh,
    Double headingDeg,
    Double accuracyM,
    Boolean ignition) {

  static Sample of(VehiclePing ping) {
    Measurements m = ping.measurements();
    return new Sample(
        ping.recordedAt(),
        ping.receivedAt() == null ? ping.recordedAt() : ping.receivedAt(),
        m.latitude(),
        m.longitude(),
        m.speedKmh(),
        m.headingDeg(),
        m.accuracyM(),
        m.ignition());
  }
}
