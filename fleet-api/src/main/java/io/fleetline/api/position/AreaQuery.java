package io.fleetline.api.position;

import io.fleetline.api.problem.ApiProblem;

/** The area of a latest-positions query: a bounding box, or a circle around a point. */
sealed interface AreaQuery {

  /** Longest radius of a {@code near} query, in metres. */
  double MAX_RADIUS_M = 500_000;

  record BoundingBox(double minLon, double minLat, double maxLon, double maxLat)
      implements AreaQuery {}

  record Circle(double latitude, double longitude, double radiusM) implements AreaQuery {}

  /** Reads {@code bbox} or {@code near} + {@code radiusM}; exactly one area must be given. */
  static AreaQuery parse(String bbox, String near, Double radiusM) {
    if ((bbox == null) == (near == null)) {
      throw ApiProblem.badRequest(
          "bbox", "give either bbox=minLon,minLat,maxLon,maxLat or near=lat,lon with radiusM");
    }
    if (bbox != null) {
      double[] v = numbers("bbox", bbox, 4);
      checkLongitude("bbox", v[0]);
      checkLatitude("bbox", v[1]);
      checkLongitude("bbox", v[2]);
      checkLatitude("bbox", v[3]);
      if (v[0] > v[2] || v[1] > v[3]) {
        throw ApiProblem.badRequest("bbox", "bbox minimums must not exceed its maximums");
      }
      return new BoundingBox(v[0], v[1], v[2], v[3]);
    }
    double[] v = numbers("near", near, 2);
    checkLatitude("near", v[0]);
    checkLongitude("near", v[1]);
    if (radiusM == null || !(radiusM > 0) || radiusM > MAX_RADIUS_M) {
      throw ApiProblem.badRequest(
          "radiusM", "radiusM is required with near, more than 0 and at most " + MAX_RADIUS_M);
    }
    return new Circle(v[0], v[1], radiusM);
  }

  private static double[] numbers(String field, String text, int count) {
    String[] parts = text.split(",", -1);
    if (parts.length != count) {
      throw ApiProblem.badRequest(field, field + " needs " + count + " comma-separated numbers");
    }
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      try {
        values[i] = Double.parseDouble(parts[i].strip());
      } catch (NumberFormatException e) {
        throw ApiProblem.badRequest(field, "'" + parts[i] + "' in " + field + " is not a number");
      }
      if (!Double.isFinite(values[i])) {
        throw ApiProblem.badRequest(field, field + " values must be finite");
      }
    }
    return values;
  }

  private static void checkLatitude(String field, double latitude) {
    if (latitude < -90 || latitude > 90) {
      throw ApiProblem.badRequest(field, "latitude " + latitude + " is outside -90..90");
    }
  }

  private static void checkLongitude(String field, double longitude) {
    if (longitude < -180 || longitude > 180) {
      throw ApiProblem.badRequest(field, "longitude " + longitude + " is outside -180..180");
    }
  }
}
