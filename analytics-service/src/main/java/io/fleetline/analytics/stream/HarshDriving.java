package io.fleetline.analytics.stream;

import io.fleetline.common.VehicleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds harsh braking, acceleration and cornering between consecutive samples.
 *
 * <p>An interval between two samples is judged only when both report a speed, at least one of them
 * is at the minimum speed, they are between the minimum and maximum interval apart, neither reports
 * an accuracy worse than the gate, and the acceleration is physically possible. Longitudinal
 * acceleration is the speed change over the interval; lateral acceleration is the mean speed times
 * the heading's rate of turn. A single spike of GPS speed or heading makes one interval beyond a
 * threshold and the next one beyond the opposite threshold (or back within), so an event needs two
 * consecutive intervals beyond the same threshold, cornering to the same side.
 */
final class HarshDriving {

  static final String BRAKING = "braking";
  static final String ACCELERATION = "acceleration";
  static final String CORNERING_LEFT = "cornering-left";
  static final String CORNERING_RIGHT = "cornering-right";

  private static final int CONFIRMING_INTERVALS = 2;

  /**
   * A harsh run that has just been confirmed.
   *
   * @param kind one of the kind constants
   * @param run the run, {@code raised} already set
   * @param to the sample that confirmed it
   */
  record Raised(String kind, HarshRun run, Sample to) {

    String type() {
      return switch (kind) {
        case BRAKING -> VehicleEvent.HARSH_BRAKING;
        case ACCELERATION -> VehicleEvent.HARSH_ACCELERATION;
        default -> VehicleEvent.HARSH_CORNERING;
      };
    }
  }

  private final DetectionSettings settings;

  HarshDriving(DetectionSettings settings) {
    this.settings = settings;
  }

  /** Judges the interval from {@code a} to {@code b}, updating {@code runs}; returns new events. */
  List<Raised> judge(Map<String, HarshRun> runs, Sample a, Sample b) {
    double longitudinal = Double.NaN;
    double lateral = Double.NaN;
    if (judgeable(a, b)) {
      double dtS = seconds(a, b);
      longitudinal = (b.speedKmh() - a.speedKmh()) / 3.6 / dtS;
      lateral = lateralMps2(a, b, dtS);
      if (Math.abs(longitudinal) > settings.harshMaxMps2()
          || Math.abs(lateral) > settings.harshMaxMps2()) {
        longitudinal = Double.NaN;
        lateral = Double.NaN;
      }
    }
    List<Raised> raised = new ArrayList<>(1);
    step(runs, BRAKING, -longitudinal, settings.harshBrakingMps2(), a, b, raised);
    step(runs, ACCELERATION, longitudinal, settings.harshAccelerationMps2(), a, b, raised);
    step(runs, CORNERING_LEFT, -lateral, settings.harshCorneringMps2(), a, b, raised);
    step(runs, CORNERING_RIGHT, lateral, settings.harshCorneringMps2(), a, b, raised);
    return raised;
  }

  private boolean judgeable(Sample a, Sample b) {
    if (a.speedKmh() == null || b.speedKmh() == null) {
      return false;
    }
    Duration dt = Duration.between(a.recordedAt(), b.recordedAt());
    return dt.compareTo(settings.harshMinInterval()) >= 0
        && dt.compareTo(settings.harshMaxInterval()) <= 0
        && Math.max(a.speedKmh(), b.speedKmh()) >= settings.harshMinSpeedKmh()
        && accurate(a)
        && accurate(b);
  }

  private boolean accurate(Sample s) {
    return s.accuracyM() == null || s.accuracyM() <= settings.harshMaxAccuracyM();
  }

  /** Positive to the right (heading increasing), NaN when headings are missing or too slow. */
  private double lateralMps2(Sample a, Sample b, double dtS) {
    if (a.headingDeg() == null
        || b.headingDeg() == null
        || Math.min(a.speedKmh(), b.speedKmh()) < settings.harshMinSpeedKmh()) {
      return Double.NaN;
    }
    double turnDeg = ((b.headingDeg() - a.headingDeg()) % 360 + 540) % 360 - 180;
    double meanSpeedMps = (a.speedKmh() + b.speedKmh()) / 2 / 3.6;
    return meanSpeedMps * Math.toRadians(turnDeg) / dtS;
  }

  private static void step(
      Map<String, HarshRun> runs,
      String kind,
      double mps2,
      double threshold,
      Sample a,
      Sample b,
      List<Raised> raised) {
    if (!(mps2 >= threshold)) { // NaN too
      runs.remove(kind);
      return;
    }
    HarshRun run = runs.get(kind);
    run =
        run == null
            ? new HarshRun(a, 1, mps2, false)
            : new HarshRun(
                run.start(), run.intervals() + 1, Math.max(run.peakMps2(), mps2), run.raised());
    if (!run.raised() && run.intervals() >= CONFIRMING_INTERVALS) {
      run = new HarshRun(run.start(), run.intervals(), run.peakMps2(), true);
      raised.add(new Raised(kind, run, b));
    }
    runs.put(kind, run);
  }

  static double seconds(Sample a, Sample b) {
    return Duration.between(a.recordedAt(), b.recordedAt()).toMillis() / 1000.0;
  }
}
