package io.fleetline.simulator;

import java.time.Instant;

/**
 * What a vehicle's tracker reports at one moment: the GPS fix with its noise, the CAN-bus style
 * values, in the contract's units. Invalid pings are readings with out-of-range values.
 *
 * @param gpsJump whether the fix is one of the occasional outliers
 */
record Reading(
    Instant recordedAt,
    double latitude,
    double longitude,
    double speedKmh,
    double headingDeg,
    double altitudeM,
    double accuracyM,
    double odometerKm,
    boolean ignition,
    boolean gpsJump) {

  Reading withPosition(double lat, double lon) {
    return new Reading(
        recordedAt,
        lat,
        lon,
        speedKmh,
        headingDeg,
        altitudeM,
        accuracyM,
        odometerKm,
        ignition,
        gpsJump);
  }

  Reading withRecordedAt(Instant at) {
    return new Reading(
        at,
        latitude,
        longitude,
        speedKmh,
        headingDeg,
        altitudeM,
        accuracyM,
        odometerKm,
        ignition,
        gpsJump);
  }

  Reading withSpeedKmh(double value) {
    return new Reading(
        recordedAt,
        latitude,
        longitude,
        value,
        headingDeg,
        altitudeM,
        accuracyM,
        odometerKm,
        ignition,
        gpsJump);
  }

  Reading withHeadingDeg(double value) {
    return new Reading(
        recordedAt,
        latitude,
        longitude,
        speedKmh,
        value,
        altitudeM,
        accuracyM,
        odometerKm,
        ignition,
        gpsJump);
  }

  Reading withAltitudeM(double value) {
    return new Reading(
        recordedAt,
        latitude,
        longitude,
        speedKmh,
        headingDeg,
        value,
        accuracyM,
        odometerKm,
        ignition,
        gpsJump);
  }

  Reading withAccuracyM(double value) {
    return new Reading(
        recordedAt,
        latitude,
        longitude,
        speedKmh,
        headingDeg,
        altitudeM,
        value,
        odometerKm,
        ignition,
        gpsJump);
  }

  Reading withOdometerKm(double value) {
    return new Reading(
        recordedAt,
        latitude,
        longitude,
        speedKmh,
        headingDeg,
        altitudeM,
        accuracyM,
        value,
        ignition,
        gpsJump);
  }
}
