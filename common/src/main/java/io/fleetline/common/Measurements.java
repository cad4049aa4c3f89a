package io.fleetline.common;

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
    Boolean ignition) {

  /** A position without any other reading. */
  public static Measurements at(double latitude, double longitude) {
    return new Measurements(latitude, longitude, null, null, null, null, null, null);
  }
}
