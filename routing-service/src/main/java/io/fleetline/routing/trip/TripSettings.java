package io.fleetline.routing.trip;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Parameters of trip and stop detection ({@code fleetline.routing.trips.*}); see {@link
 * TripDetector} for how they are used.
 *
 * @param minTripDistanceM a movement shorter than this (path length) is not a trip
 * @param minTripDuration a movement shorter than this is not a trip
 * @param minParkingDuration standing still at least this long ends a trip and makes a stop
 * @param maxDataGap a silence longer than this ends a trip unless the vehicle is still where it was
 * @param parkedRadiusM positions within this distance of where the vehicle stopped are GPS jitter
 * @param movingSpeedKmh a reported speed at or above this means the vehicle is moving
 * @param useIgnition whether a reported ignition-off counts as standing still wherever the fix is
 */
@ConfigurationProperties("fleetline.routing.trips")
public record TripSettings(
    @DefaultValue("500") double minTripDistanceM,
    @DefaultValue("2m") Duration minTripDuration,
    @DefaultValue("5m") Duration minParkingDuration,
    @DefaultValue("10m") Duration maxDataGap,
    @DefaultValue("50") double parkedRadiusM,
    @DefaultValue("5") double movingSpeedKmh,
    @DefaultValue("true") boolean useIgnition) {

  /** The defaults, for code and tests that run without Spring. */
  public static TripSettings defaults() {
    return new TripSettings(
        500, Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), 50, 5, true);
  }
}
