package io.fleetline.routing.geofence;

import io.fleetline.common.Geo;
import java.util.List;
import java.util.UUID;

/**
 * A fleet's geofence as detection needs it: a circle (centre and radius, tested geodesically) or a
 * polygon (exterior ring and holes as {@code [lon, lat]} pairs, tested by ray casting).
 *
 * @param rings for a polygon: the exterior ring first, then holes; empty for a circle
 * @param speedLimitKmh the limit inside, or null for the fleet default
 * @param dwellS how long a vehicle must stay inside before it counts as entered
 */
public record Geofence(
    UUID id,
    UUID fleetId,
    String name,
    List<double[][]> rings,
    Double centerLatitude,
    Double centerLongitude,
    Double radiusM,
    Double speedLimitKmh,
    int dwellS) {

  public boolean contains(double latitude, double longitude) {
    if (radiusM != null) {
      return Geo.haversineMeters(centerLatitude, centerLongitude, latitude, longitude) <= radiusM;
    }
    if (rings.isEmpty() || !inRing(rings.get(0), longitude, latitude)) {
      return false;
    }
    for (int i = 1; i < rings.size(); i++) {
      if (inRing(rings.get(i), longitude, latitude)) {
        return false;
      }
    }
    return true;
  }

  /** Even-odd ray casting in plain lon/lat, adequate for geofences of city size. */
  private static boolean inRing(double[][] ring, double x, double y) {
    boolean inside = false;
    for (int i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      double xi = ring[i][0];
      double yi = ring[i][1];
      double xj = ring[j][0];
      double yj = ring[j][1];
      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }
}
