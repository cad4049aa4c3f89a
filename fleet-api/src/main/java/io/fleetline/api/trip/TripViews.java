package io.fleetline.api.trip;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Response bodies of the trip and stop resources. */
final class TripViews {

  private TripViews() {}

  /** A point as latitude and longitude in degrees. */
  record LatLon(double latitude, double longitude) {}

  /** A trip; {@code path} (a GeoJSON LineString) is present only on the single trip. */
  record TripView(
      UUID id,
      UUID vehicleId,
      Instant startedAt,
      Instant endedAt,
      LatLon start,
      LatLon end,
      double distanceM,
      double durationS,
      Float maxSpeedKmh,
      Float avgSpeedKmh,
      boolean open,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> path) {}

  /** A page of trips, as documented. */
  record TripPage(List<TripView> items, String nextCursor) {}

  /** A stop: where a vehicle stood still, and for how long. */
  record StopView(
      UUID id,
      UUID vehicleId,
      Instant startedAt,
      Instant endedAt,
      LatLon location,
      double durationS,
      boolean open) {}
}
