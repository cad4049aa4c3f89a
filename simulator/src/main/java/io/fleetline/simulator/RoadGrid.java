package io.fleetline.simulator;

/**
 * A synthetic Manhattan street grid around a city centre: streets every {@code blockM} metres
 * east-west and north-south, every fourth one an arterial road with a higher speed limit. Positions
 * are metres east ({@code x}) and north ({@code y}) of the centre, an equirectangular projection
 * that is exact enough over a city.
 */
record RoadGrid(double centreLat, double centreLon, double blockM, double radiusM) {

  static final double METRES_PER_DEGREE_LAT = 111_320;
  static final double ARTERIAL_LIMIT_KMH = 60;
  static final double STREET_LIMIT_KMH = 40;

  double latitude(double yM) {
    return centreLat + yM / METRES_PER_DEGREE_LAT;
  }

  double longitude(double xM) {
    return centreLon + xM / metresPerDegreeLon();
  }

  double metresPerDegreeLon() {
    return METRES_PER_DEGREE_LAT * Math.cos(Math.toRadians(centreLat));
  }

  /** Intersections from the centre to the edge of the area along one axis. */
  int blocks() {
    return Math.max(1, (int) (radiusM / blockM));
  }

  /**
   * The speed limit of the street through {@code coordinateM} (the x of a north-south street, the y
   * of an east-west one).
   */
  double limitKmh(double coordinateM) {
    long index = Math.round(coordinateM / blockM);
    return Math.floorMod(index, 4) == 0 ? ARTERIAL_LIMIT_KMH : STREET_LIMIT_KMH;
  }
}
