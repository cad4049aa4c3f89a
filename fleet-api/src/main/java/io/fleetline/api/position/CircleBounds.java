package io.fleetline.api.position;

import java.util.List;

/**
 * Longitude/latitude boxes that together contain every point within a geodesic distance of a centre
 * on the WGS 84 ellipsoid: the prefilter that lets a radius query use the geometry index before the
 * exact {@code ST_DWithin} on geography.
 *
 * <p>On the ellipsoid {@code ds² = M² dφ² + (N cos φ)² dλ²}, with the meridian radius {@code M} at
 * least its equatorial value and {@code N} at least the equatorial radius {@code a}. A path of
 * length {@code r} therefore changes latitude by at most {@code r / M_min} and, while staying
 * within the latitude band that bound gives, longitude by at most {@code r / (a cos φmax)}, where
 * {@code φmax} is the band's largest absolute latitude. Both bounds are widened by a margin. A band
 * that reaches a pole takes every longitude; a box that crosses ±180° is split in two.
 */
final class CircleBounds {

  /** WGS 84 meridian arc of one degree at the equator, the shortest anywhere: M_min·π/180. */
  static final double MIN_METRES_PER_DEGREE_LATITUDE = 110_574.27;

  /** WGS 84 equatorial arc of one degree of longitude: a·π/180. */
  static final double METRES_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111_319.49;

  /** Relative widening, far above the rounding of either side and of PostGIS's own distance. */
  static final double MARGIN = 1.01;

  private CircleBounds() {}

  /** One box, or two when the circle crosses the antimeridian. */
  static List<AreaQuery.BoundingBox> around(double latitude, double longitude, double radiusM) {
    double dLat = MARGIN * radiusM / MIN_METRES_PER_DEGREE_LATITUDE;
    double south = latitude - dLat;
    double north = latitude + dLat;
    if (south <= -90 || north >= 90) {
      // The circle may contain a pole: every longitude.
      return List.of(
          new AreaQuery.BoundingBox(-180, Math.max(-90, south), 180, Math.min(90, north)));
    }
    double maxAbsLatitude = Math.max(Math.abs(south), Math.abs(north));
    double dLon =
        MARGIN
            * radiusM
            / (METRES_PER_DEGREE_LONGITUDE_AT_EQUATOR * Math.cos(Math.toRadians(maxAbsLatitude)));
    if (!(dLon < 180)) {
      return List.of(new AreaQuery.BoundingBox(-180, south, 180, north));
    }
    double west = longitude - dLon;
    double east = longitude + dLon;
    if (west < -180) {
      return List.of(
          new AreaQuery.BoundingBox(west + 360, south, 180, north),
          new AreaQuery.BoundingBox(-180, south, east, north));
    }
    if (east > 180) {
      return List.of(
          new AreaQuery.BoundingBox(west, south, 180, north),
          new AreaQuery.BoundingBox(-180, south, east - 360, north));
    }
    return List.of(new AreaQuery.BoundingBox(west, south, east, north));
  }
}
