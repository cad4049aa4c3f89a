package io.fleetline.api.geofence;

import io.fleetline.api.geofence.GeofenceViews.Center;
import io.fleetline.api.geofence.GeofenceViews.Circle;
import io.fleetline.api.problem.ApiProblem;
import tools.jackson.databind.JsonNode;

/** Checks a geofence's {@code area} and tells a polygon from a circle; errors name the field. */
final class GeofenceArea {

  static final double MAX_RADIUS_M = 100_000;
  static final int MAX_VERTICES = 10_000;

  private GeofenceArea() {}

  /** A valid-looking polygon (GeoJSON text) or circle. */
  sealed interface Parsed {}

  record Polygon(String geoJson) implements Parsed {}

  record Round(Circle circle) implements Parsed {}

  static Parsed parse(JsonNode area) {
    if (area == null || !area.isObject()) {
      throw ApiProblem.badRequest("area", "area must be a GeoJSON Polygon or {center, radiusM}");
    }
    if (area.has("type")) {
      return polygon(area);
    }
    if (area.has("center") || area.has("radiusM")) {
      return circle(area);
    }
    throw ApiProblem.badRequest("area", "area must be a GeoJSON Polygon or {center, radiusM}");
  }

  private static Polygon polygon(JsonNode area) {
    if (!"Polygon".equals(area.path("type").asString(""))) {
      throw ApiProblem.badRequest("area.type", "only GeoJSON Polygon areas are supported");
    }
    JsonNode rings = area.path("coordinates");
    if (!rings.isArray() || rings.isEmpty()) {
      throw ApiProblem.badRequest("area.coordinates", "a Polygon needs at least one linear ring");
    }
    int vertices = 0;
    for (int r = 0; r < rings.size(); r++) {
      JsonNode ring = rings.get(r);
      String field = "area.coordinates[" + r + "]";
      if (!ring.isArray() || ring.size() < 4) {
        throw ApiProblem.badRequest(field, "a linear ring needs at least 4 positions");
      }
      for (int p = 0; p < ring.size(); p++) {
        position(ring.get(p), field + "[" + p + "]");
      }
      if (!ring.get(0).equals(ring.get(ring.size() - 1))) {
        throw ApiProblem.badRequest(field, "a linear ring must end where it starts");
      }
      vertices += ring.size();
    }
    if (vertices > MAX_VERTICES) {
      throw ApiProblem.badRequest("area.coordinates", "at most " + MAX_VERTICES + " positions");
    }
    return new Polygon(area.toString());
  }

  private static void position(JsonNode position, String field) {
    if (!position.isArray()
        || position.size() < 2
        || !position.get(0).isNumber()
        || !position.get(1).isNumber()) {
      throw ApiProblem.badRequest(field, "a position is [longitude, latitude]");
    }
    double lon = position.get(0).asDouble();
    double lat = position.get(1).asDouble();
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      throw ApiProblem.badRequest(field, "longitude or latitude out of range");
    }
  }

  private static Round circle(JsonNode area) {
    JsonNode center = area.path("center");
    JsonNode lat = center.path("latitude");
    JsonNode lon = center.path("longitude");
    if (!lat.isNumber() || lat.asDouble() < -90 || lat.asDouble() > 90) {
      throw ApiProblem.badRequest("area.center.latitude", "latitude must be within -90..90");
    }
    if (!lon.isNumber() || lon.asDouble() < -180 || lon.asDouble() > 180) {
      throw ApiProblem.badRequest("area.center.longitude", "longitude must be within -180..180");
    }
    JsonNode radius = area.path("radiusM");
    if (!radius.isNumber() || !(radius.asDouble() > 0) || radius.asDouble() > MAX_RADIUS_M) {
      throw ApiProblem.badRequest(
          "area.radiusM", "radiusM must be more than 0 and at most " + MAX_RADIUS_M);
    }
    return new Round(new Circle(new Center(lat.asDouble(), lon.asDouble()), radius.asDouble()));
  }
}
