package io.fleetline.api.geofence;

import io.fleetline.api.geofence.GeofenceViews.Center;
import io.fleetline.api.geofence.GeofenceViews.Circle;
import io.fleetline.api.problem.ApiProblem;
import tools.jackson.databind.JsonNode;

/** Checks a geofence's {@code area} and tells a polygon from a circle; errors name the field. */
final class GeofenceArea {

  /** The smallest circle, in metres: below a GPS fix's accuracy a geofence means nothing. */
  static final double MIN_RADIUS_M = 1;

  private GeofenceArea() {}

  /** A valid-looking polygon (2-D GeoJSON text) or circle. */
  sealed interface Parsed {}

  record Polygon(String geoJson) implements Parsed {}

  record Round(Circle circle) implements Parsed {}

  static Parsed parse(JsonNode area, GeofenceProperties limits) {
    if (area == null || !area.isObject()) {
      throw ApiProblem.badRequest("area", "area must be a GeoJSON Polygon or {center, radiusM}");
    }
    if (area.has("type")) {
      return polygon(area, limits);
    }
    if (area.has("center") || area.has("radiusM")) {
      return circle(area, limits);
    }
    throw ApiProblem.badRequest("area", "area must be a GeoJSON Polygon or {center, radiusM}");
  }

  /**
   * Reads the rings position by position and writes them back as 2-D GeoJSON: an altitude, which
   * GeoJSON allows as a third member, is dropped, since a geofence is a surface on the map.
   */
  private static Polygon polygon(JsonNode area, GeofenceProperties limits) {
    if (!"Polygon".equals(area.path("type").asString(""))) {
      throw ApiProblem.badRequest("area.type", "only GeoJSON Polygon areas are supported");
    }
    JsonNode rings = area.path("coordinates");
    if (!rings.isArray() || rings.isEmpty()) {
      throw ApiProblem.badRequest("area.coordinates", "a Polygon needs at least one linear ring");
    }
    if (rings.size() > limits.maxRings()) {
      throw ApiProblem.badRequest(
          "area.coordinates", "a Polygon may have at most " + limits.maxRings() + " rings");
    }
    StringBuilder geoJson = new StringBuilder("{\"type\":\"Polygon\",\"coordinates\":[");
    int positions = 0;
    for (int r = 0; r < rings.size(); r++) {
      JsonNode ring = rings.get(r);
      String field = "area.coordinates[" + r + "]";
      if (!ring.isArray() || ring.size() < 4) {
        throw ApiProblem.badRequest(field, "a linear ring needs at least 4 positions");
      }
      positions += ring.size();
      if (positions > limits.maxPositions()) {
        throw ApiProblem.badRequest(
            "area.coordinates",
            "a Polygon may have at most " + limits.maxPositions() + " positions");
      }
      int end = ring.size() - 1;
      double[] first = position(ring.get(0), field + "[0]");
      double[] last = position(ring.get(end), field + "[" + end + "]");
      if (first[0] != last[0] || first[1] != last[1]) {
        throw ApiProblem.badRequest(field, "a linear ring must end where it starts");
      }
      geoJson.append(r == 0 ? "[" : ",[");
      for (int p = 0; p <= end; p++) {
        double[] lonLat =
            p == 0 ? first : p == end ? last : position(ring.get(p), field + "[" + p + "]");
        geoJson.append(p == 0 ? "[" : ",[").append(lonLat[0]).append(',').append(lonLat[1]);
        geoJson.append(']');
      }
      geoJson.append(']');
    }
    return new Polygon(geoJson.append("]}").toString());
  }

  /** {@code [longitude, latitude]} of a position {@code [lon, lat]} or {@code [lon, lat, alt]}. */
  private static double[] position(JsonNode position, String field) {
    if (!position.isArray() || position.size() < 2 || position.size() > 3) {
      throw ApiProblem.badRequest(field, "a position is [longitude, latitude] or with altitude");
    }
    for (JsonNode member : position) {
      if (!member.isNumber() || !Double.isFinite(member.asDouble())) {
        throw ApiProblem.badRequest(field, "the members of a position must be finite numbers");
      }
    }
    double lon = position.get(0).asDouble();
    double lat = position.get(1).asDouble();
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
      throw ApiProblem.badRequest(field, "longitude or latitude out of range");
    }
    return new double[] {lon, lat};
  }

  private static Round circle(JsonNode area, GeofenceProperties limits) {
    JsonNode center = area.path("center");
    JsonNode lat = center.path("latitude");
    JsonNode lon = center.path("longitude");
    if (!lat.isNumber() || !(lat.asDouble() >= -90 && lat.asDouble() <= 90)) {
      throw ApiProblem.badRequest("area.center.latitude", "latitude must be within -90..90");
    }
    if (!lon.isNumber() || !(lon.asDouble() >= -180 && lon.asDouble() <= 180)) {
      throw ApiProblem.badRequest("area.center.longitude", "longitude must be within -180..180");
    }
    JsonNode radius = area.path("radiusM");
    if (!radius.isNumber()
        || !(radius.asDouble() >= MIN_RADIUS_M && radius.asDouble() <= limits.maxRadiusM())) {
      throw ApiProblem.badRequest(
          "area.radiusM",
          "radiusM must be at least " + MIN_RADIUS_M + " and at most " + limits.maxRadiusM());
    }
    return new Round(new Circle(new Center(lat.asDouble(), lon.asDouble()), radius.asDouble()));
  }
}
