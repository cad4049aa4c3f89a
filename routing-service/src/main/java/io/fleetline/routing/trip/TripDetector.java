package io.fleetline.routing.trip;

import io.fleetline.common.Geo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds trips and stops in a vehicle's history; a pure, deterministic function of the time-ordered,
 * de-duplicated samples.
 *
 * <p>The algorithm, in three steps:
 *
 * <ol>
 *   <li><b>Stationary runs.</b> Walking the samples in time order, each sample either continues the
 *       current run or starts a new one. The first sample of a run is its anchor. A sample
 *       continues the run when it is stationary: ignition reported off (if {@code useIgnition}), or
 *       within {@code parkedRadiusM} of the anchor with a reported speed below {@code
 *       movingSpeedKmh} (or no speed reported). After a silence longer than {@code maxDataGap} only
 *       the position counts: the vehicle was parked through the silence if it is still within the
 *       radius.
 *   <li><b>Parkings.</b> A run lasting at least {@code minParkingDuration} (first to last sample)
 *       is a stop. GPS jitter while parked stays within the radius, so it never leaves the run.
 *   <li><b>Trips.</b> Between a stop's last sample (the departure) and the next stop's first sample
 *       (the arrival) lies a movement; a silence longer than {@code maxDataGap} that the vehicle
 *       was not parked through also ends one. A movement is a trip when its path is at least {@code
 *       minTripDistanceM} long, lasts at least {@code minTripDuration} and leaves the parked radius
 *       around its start. The movement after the last stop is an open trip; if the vehicle stands
 *       still at the end, not yet long enough for a stop, it must be a trip without that standing
 *       (GPS jitter while parked never makes a trip, even before the parking is known).
 * </ol>
 *
 * <p>Because runs are found left to right and a stop's first sample always starts a run, detection
 * restarted at a stop's first sample yields the same stops and trips from there on as detection
 * over the whole history; this is what lets a batch recompute only the window after the last stop.
 * Once a later sample has ended a stop, the stop is final for pings that come after all of them,
 * and detection can resume at its last sample (the departure) with the state it had there ({@link
 * #detectAfterStop}).
 */
public final class TripDetector {

  private final TripSettings settings;

  public TripDetector(TripSettings settings) {
    this.settings = settings;
  }

  /** Detects trips and stops; {@code samples} must be ordered by time without duplicates. */
  public Detection detect(List<Sample> samples) {
    return detect(samples, 0);
  }

  /**
   * Detects trips and stops in samples whose first is the departure (last sample) of a stop that is
   * over: the state detection over the whole history has right after that stop.
   */
  public Detection detectAfterStop(List<Sample> samples) {
    return detect(samples, 1);
  }

  private Detection detect(List<Sample> samples, int firstRun) {
    List<Trip> trips = new ArrayList<>();
    List<Stop> stops = new ArrayList<>();
    int n = samples.size();
    if (n <= firstRun) {
      return new Detection(trips, stops);
    }
    int moveStart = 0;
    int runStart = firstRun;
    for (int i = firstRun + 1; i <= n; i++) {
      boolean runEnds =
          i == n || !continuesRun(samples.get(runStart), samples.get(i - 1), samples.get(i));
      if (!runEnds) {
        continue;
      }
      int runEnd = i - 1;
      boolean lastRun = i == n;
      if (runStart > 0 && isGap(samples.get(runStart - 1), samples.get(runStart))) {
        // The vehicle moved during a silence: what was driven before it ends there.
        movement(samples, moveStart, runStart - 1, false).ifPresent(trips::add);
        moveStart = runStart;
      }
      if (isParking(samples.get(runStart), samples.get(runEnd))) {
        movement(samples, moveStart, runStart, false).ifPresent(trips::add);
        stops.add(
            new Stop(
                samples.get(runStart),
                samples.get(runStart).recordedAt(),
                samples.get(runEnd).recordedAt(),
                lastRun));
        moveStart = runEnd;
      } else if (lastRun && isTrip(measure(samples, moveStart, runStart))) {
        // A vehicle standing still at the end may be parking: until that is known, the standing
        // and its GPS jitter do not make a trip of the short movement before it.
        trips.add(trip(samples, moveStart, runEnd, true, measure(samples, moveStart, runEnd)));
      }
      runStart = i;
    }
    return new Detection(trips, stops);
  }

  private boolean continuesRun(Sample anchor, Sample previous, Sample sample) {
    if (isMoving(anchor)) {
      // A run of standing still begins at a stationary sample, never at one taken while driving.
      return false;
    }
    boolean nearAnchor =
        Geo.haversineMeters(
                anchor.latitude(), anchor.longitude(), sample.latitude(), sample.longitude())
            <= settings.parkedRadiusM();
    if (isGap(previous, sample)) {
      return nearAnchor;
    }
    if (settings.useIgnition() && Boolean.FALSE.equals(sample.ignition())) {
      return true;
    }
    return nearAnchor
        && (sample.speedKmh() == null || sample.speedKmh() < settings.movingSpeedKmh());
  }

  private boolean isMoving(Sample sample) {
    if (settings.useIgnition() && Boolean.FALSE.equals(sample.ignition())) {
      return false;
    }
    return sample.speedKmh() != null && sample.speedKmh() >= settings.movingSpeedKmh();
  }

  private boolean isGap(Sample previous, Sample next) {
    return Duration.between(previous.recordedAt(), next.recordedAt())
            .compareTo(settings.maxDataGap())
        > 0;
  }

  private boolean isParking(Sample first, Sample last) {
    return Duration.between(first.recordedAt(), last.recordedAt())
            .compareTo(settings.minParkingDuration())
        >= 0;
  }

  /** The movement from sample {@code from} to {@code to} (inclusive), if it is a trip. */
  private java.util.Optional<Trip> movement(List<Sample> samples, int from, int to, boolean open) {
    Extent extent = measure(samples, from, to);
    return isTrip(extent)
        ? java.util.Optional.of(trip(samples, from, to, open, extent))
        : java.util.Optional.empty();
  }

  /** How far a movement went along its path and from its start, and how long it took. */
  private record Extent(double distanceM, double farthestM, Duration duration) {}

  /** The extent of the movement from sample {@code from} to {@code to} (inclusive). */
  private static Extent measure(List<Sample> samples, int from, int to) {
    Sample start = samples.get(from);
    double distanceM = 0;
    double farthestM = 0;
    for (int i = from + 1; i <= to; i++) {
      Sample p = samples.get(i - 1);
      Sample s = samples.get(i);
      distanceM += Geo.haversineMeters(p.latitude(), p.longitude(), s.latitude(), s.longitude());
      farthestM =
          Math.max(
              farthestM,
              Geo.haversineMeters(
                  start.latitude(), start.longitude(), s.latitude(), s.longitude()));
    }
    return new Extent(
        distanceM, farthestM, Duration.between(start.recordedAt(), samples.get(to).recordedAt()));
  }

  /** Long enough, lasting long enough, and leaving the parked radius around its start. */
  private boolean isTrip(Extent extent) {
    // A movement of one sample (or none) has no duration and is never a trip.
    return extent.duration().compareTo(Duration.ZERO) > 0
        && extent.distanceM() >= settings.minTripDistanceM()
        && extent.duration().compareTo(settings.minTripDuration()) >= 0
        && extent.farthestM() > settings.parkedRadiusM();
  }

  /** The trip from sample {@code from} to {@code to} (inclusive), of the given extent. */
  private static Trip trip(List<Sample> samples, int from, int to, boolean open, Extent extent) {
    List<Sample> path = List.copyOf(samples.subList(from, to + 1));
    Double maxSpeedKmh = null;
    for (Sample s : path) {
      if (s.speedKmh() != null && (maxSpeedKmh == null || s.speedKmh() > maxSpeedKmh)) {
        maxSpeedKmh = s.speedKmh();
      }
    }
    double avgSpeedKmh = extent.distanceM() / (extent.duration().toMillis() / 1000.0) * 3.6;
    return new Trip(path, extent.distanceM(), maxSpeedKmh, avgSpeedKmh, open);
  }
}
