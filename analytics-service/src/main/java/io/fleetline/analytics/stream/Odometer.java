package io.fleetline.analytics.stream;

import io.fleetline.common.Geo;

/**
 * Measures the distance a vehicle drove between its samples, for the daily summary, without letting
 * GPS errors lengthen it.
 *
 * <p>A sample reporting an accuracy worse than the limit is not a fix and is passed over. A fix
 * that could only be reached from the previous fix above the plausible speed is held as a suspect:
 * if the next fix is plausible from the previous one, the suspect was an outlier and is dropped; if
 * it is plausible from the suspect instead, the two agree and the previous fix was the wrong one,
 * so distance goes on from the suspect without counting the jump. Distance is counted from where it
 * was last counted, which stays put while the vehicle stands, so the jitter of a parked vehicle
 * never adds up.
 */
final class Odometer {

  /** Over a data gap, a displacement shorter than this is GPS jitter of a parked vehicle. */
  static final double GAP_JITTER_M = 50;

  /** The noise assumed of a sample that does not report its accuracy. */
  private static final double UNREPORTED_ACCURACY_M = 10;

  private final DetectionSettings settings;

  Odometer(DetectionSettings settings) {
    this.settings = settings;
  }

  /**
   * The metres driven up to {@code s} from the vehicle's earlier samples; updates the vehicle's
   * fixes.
   *
   * @param prev the sample applied before {@code s}, null for the vehicle's first
   * @param gap whether {@code prev} and {@code s} are further apart than the longest data gap
   */
  double metres(VehicleState v, Sample prev, Sample s, boolean gap) {
    if (inaccurate(s)) {
      return 0;
    }
    if (v.lastFix == null || v.countedFrom == null) {
      v.lastFix = s;
      v.countedFrom = s;
      return 0;
    }
    if (plausible(v.lastFix, s)) {
      v.suspect = null; // an outlier, if there was one
    } else if (v.suspect != null && plausible(v.suspect, s)) {
      v.lastFix = v.suspect;
      v.countedFrom = v.suspect;
      v.suspect = null;
    } else {
      v.suspect = s;
      return 0;
    }
    Sample previousFix = v.lastFix;
    v.lastFix = s;
    double distanceM = distance(v.countedFrom, s);
    if (!driven(prev, s, gap, distanceM, distance(v.countedFrom, previousFix))) {
      return 0;
    }
    v.countedFrom = s;
    return distanceM;
  }

  /**
   * Whether the vehicle drove from where distance was last counted to {@code s}: {@code distanceM}
   * away, the fix before {@code s} {@code previousFixM} away.
   */
  private boolean driven(
      Sample prev, Sample s, boolean gap, double distanceM, double previousFixM) {
    if (gap) {
      // The vehicle got there somehow, but when it drove is unknown.
      return distanceM >= GAP_JITTER_M;
    }
    if (prev == null || parked(prev) && parked(s)) {
      return false;
    }
    if (prev.speedKmh() == null && s.speedKmh() == null) {
      // Without speeds only the position tells: a vehicle that left has two fixes in a row beyond
      // the jitter, where a stray fix of a standing one has one.
      return distanceM >= settings.distanceJitterM() && previousFixM >= settings.distanceJitterM();
    }
    return atLeast(prev.speedKmh(), settings.movingSpeedKmh())
        || atLeast(s.speedKmh(), settings.movingSpeedKmh());
  }

  private boolean inaccurate(Sample s) {
    return s.accuracyM() != null && s.accuracyM() > settings.distanceMaxAccuracyM();
  }

  /** Whether {@code b} can be reached from {@code a} at the plausible speed, noise allowed for. */
  private boolean plausible(Sample a, Sample b) {
    double beyondNoiseM = distance(a, b) - accuracyM(a) - accuracyM(b);
    double seconds = HarshDriving.seconds(a, b);
    return beyondNoiseM <= settings.distanceMaxSpeedKmh() / 3.6 * Math.max(seconds, 0);
  }

  private static boolean parked(Sample s) {
    return Boolean.FALSE.equals(s.ignition());
  }

  private static double accuracyM(Sample s) {
    return s.accuracyM() == null ? UNREPORTED_ACCURACY_M : s.accuracyM();
  }

  private static double distance(Sample a, Sample b) {
    return Geo.haversineMeters(a.latitude(), a.longitude(), b.latitude(), b.longitude());
  }

  private static boolean atLeast(Double value, double threshold) {
    return value != null && value >= threshold;
  }
}
