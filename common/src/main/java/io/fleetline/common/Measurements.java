package io.fleetline.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a device measured at one moment, in the units of the contract: its position and the optional
 * readings that travel with it, {@code null} where the device did not report them. Ingest decodes
 * it, the ping on {@link Topics#PINGS} carries it (as flat fields) and routing stores it, so a new
 * reading is declared here once.
 */
public record Measurements(
    double latitude,
    double longitude,
    Double speedKmh,
    Double headingDeg,
    Double altitudeM,
    Double accuracyM,
    Double odometerKm,
    Boolean ignition,
    @JsonInclude(JsonInclude.Include.NON_NULL) Diagnostics diagnostics) {

  public Measurements {
    if (diagnostics != null && diagnostics.empty()) {
      diagnostics = null;
    }
  }

  /** Readings without diagnostics. */
  public Measurements(
      double latitude,
      double longitude,
      Double speedKmh,
      Double headingDeg,
      Double altitudeM,
      Double accuracyM,
      Double odometerKm,
      Boolean ignition) {
    this(
        latitude,
        longitude,
        speedKmh,
        headingDeg,
        altitudeM,
        accuracyM,
        odometerKm,
        ignition,
        null);
  }

  /** A position without any other reading. */
  public static Measurements at(double latitude, double longitude) {
    return new Measurements(latitude, longitude, null, null, null, null, null, null);
  }
}
