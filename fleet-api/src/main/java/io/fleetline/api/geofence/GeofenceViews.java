package io.fleetline.api.geofence;

import static io.fleetline.api.vehicle.VehicleViews.NOT_PRINTABLE;
import static io.fleetline.api.vehicle.VehicleViews.PRINTABLE;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Request and response bodies of the geofence resources. */
final class GeofenceViews {

  private GeofenceViews() {}

  /**
   * A geofence as clients write it; {@code area} is a GeoJSON Polygon or a circle {@code
   * {center:{latitude,longitude}, radiusM}}.
   */
  @Schema(
      example =
          "{\"name\":\"Depot\",\"area\":{\"center\":{\"latitude\":52.52,"
              + "\"longitude\":13.405},\"radiusM\":250},\"speedLimitKmh\":30}")
  record GeofenceRequest(
      @NotBlank @Size(max = 200) @Pattern(regexp = PRINTABLE, message = NOT_PRINTABLE) String name,
      @NotNull
          @Schema(
              oneOf = {PolygonArea.class, Circle.class},
              description = "a GeoJSON Polygon, or a circle {center, radiusM}")
          JsonNode area,
      @DecimalMin("1") @DecimalMax("1000") Float speedLimitKmh) {}

  /** A GeoJSON Polygon: linear rings of [longitude, latitude] positions, closed. */
  @Schema(
      example =
          "{\"type\":\"Polygon\",\"coordinates\":[[[13.0,52.0],[14.0,52.0],[14.0,53.0],"
              + "[13.0,52.0]]]}")
  record PolygonArea(
      @Schema(allowableValues = "Polygon") String type, List<List<List<Double>>> coordinates) {}

  /** A geofence as the API answers it; {@code area} has the shape it was written in. */
  record GeofenceView(
      UUID id,
      String name,
      @Schema(oneOf = {PolygonArea.class, Circle.class}) Object area,
      Float speedLimitKmh,
      Instant createdAt,
      Instant updatedAt) {}

  /** The centre of a circular geofence. */
  record Center(double latitude, double longitude) {}

  /** A circular area, stored as its polygon approximation plus centre and radius. */
  record Circle(Center center, double radiusM) {}
}
