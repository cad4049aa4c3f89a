package io.fleetline.routing.diagnostics;

import io.fleetline.common.Diagnostics;
import io.fleetline.routing.trip.Sample;
import java.time.Instant;

/** A stored position that carried diagnostics, with what the events need besides them. */
record DiagnosticSample(
    Instant recordedAt,
    double latitude,
    double longitude,
    Double speedKmh,
    Boolean ignition,
    Diagnostics diagnostics) {

  Sample sample() {
    return new Sample(recordedAt, latitude, longitude, speedKmh, ignition);
  }

  Double externalVoltageV() {
    return diagnostics.externalVoltageV();
  }

  /** Ignition off, or, where the tracker reports no ignition, not moving. */
  boolean parked() {
    return ignition != null ? !ignition : Boolean.FALSE.equals(diagnostics.moving());
  }
}
