package io.fleetline.routing.derived;

import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.Stop;
import io.fleetline.routing.trip.Trip;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The window of one vehicle's history that the next in-order batch recomputes, as it stands after a
 * committed batch: what {@link DerivedDataUpdater} would otherwise read back from the database.
 *
 * @param since where the window starts (null: the whole history)
 * @param afterStop whether {@code samples} begins at the departure of a stop that is over
 * @param samples the vehicle's history from {@code since} on, in time order, never empty
 * @param before the history sample just before {@code since} (null if none)
 * @param stored the trips and stops stored from {@code since} on
 * @param eventKeys keys of events detected in this window, all of them stored
 */
record VehicleWindow(
    UUID fleetId,
    Instant since,
    boolean afterStop,
    List<Sample> samples,
    Sample before,
    Detection stored,
    Set<String> eventKeys) {

  /** The newest recorded time of the vehicle's history. */
  Instant latest() {
    return samples.get(samples.size() - 1).recordedAt();
  }

  /**
   * The window the next batch that only appends will recompute, after detection over this one gave
   * {@code detection}: from the last stop's first sample while it is open, from its departure once
   * it is over, unchanged without a stop. This is the window the database would give (see {@link
   * DerivedDataUpdater}).
   */
  VehicleWindow next(Detection detection, Set<String> detectedKeys) {
    List<Stop> stops = detection.stops();
    if (stops.isEmpty()) {
      return new VehicleWindow(fleetId, since, afterStop, samples, before, detection, detectedKeys);
    }
    Stop last = stops.get(stops.size() - 1);
    Instant start = last.open() ? last.startedAt() : last.endedAt();
    int from = indexOf(start);
    List<Sample> kept = List.copyOf(samples.subList(from, samples.size()));
    Sample previous = from == 0 ? before : samples.get(from - 1);
    List<Trip> trips =
        detection.trips().stream().filter(t -> !t.startedAt().isBefore(start)).toList();
    List<Stop> keptStops = stops.stream().filter(s -> !s.startedAt().isBefore(start)).toList();
    return new VehicleWindow(
        fleetId,
        start,
        !last.open(),
        kept,
        previous,
        new Detection(trips, keptStops),
        detectedKeys);
  }

  private int indexOf(Instant recordedAt) {
    int low = 0;
    int high = samples.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = samples.get(mid).recordedAt().compareTo(recordedAt);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    throw new IllegalStateException("no sample at " + recordedAt);
  }
}
