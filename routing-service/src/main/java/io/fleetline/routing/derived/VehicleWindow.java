package io.fleetline.routing.derived;

import io.fleetline.routing.event.RaisedEvent;
import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.Stop;
import io.fleetline.routing.trip.Trip;
import io.fleetline.routing.trip.WindowStart;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The window of one vehicle's history that a batch recomputes trips, stops and events over, with
 * what is known of what is stored for it: as a {@link WindowSource} gives it, the batch's new
 * history included; as kept between batches, what the next in-order batch would otherwise read back
 * from the database.
 *
 * @param start where the window begins
 * @param samples the vehicle's history from {@code start} on, in time order
 * @param before the history sample just before {@code start} (null if none, or not needed)
 * @param stored the trips and stops stored from {@code start} on, when known (a kept window); a
 *     window read from the database has them replaced
 * @param storedEvents the events stored for the window and not retracted, when known (a kept
 *     window: those detected over it last time); a window read from the database has them read
 */
record VehicleWindow(
    UUID vehicleId,
    UUID fleetId,
    WindowStart start,
    List<Sample> samples,
    Sample before,
    Optional<Detection> stored,
    Optional<List<RaisedEvent>> storedEvents) {

  /** A window read from the database, where nothing stored for it is known. */
  static VehicleWindow read(
      UUID vehicleId, UUID fleetId, WindowStart start, List<Sample> samples, Sample before) {
    return new VehicleWindow(
        vehicleId, fleetId, start, samples, before, Optional.empty(), Optional.empty());
  }

  /** The newest recorded time of the vehicle's history; the window must not be empty. */
  Instant latest() {
    return samples.get(samples.size() - 1).recordedAt();
  }

  /** This window with a batch's rows appended, all of them newer than {@link #latest}. */
  VehicleWindow appending(UUID batchFleetId, List<Sample> added) {
    List<Sample> grown = new ArrayList<>(samples.size() + added.size());
    grown.addAll(samples);
    grown.addAll(added);
    return new VehicleWindow(vehicleId, batchFleetId, start, grown, before, stored, storedEvents);
  }

  /**
   * The window the next batch that only appends will recompute, once detection over this one gave
   * {@code detection} and {@code detected} events and they are stored: from the last stop's first
   * sample while it is open, from its departure once it is over, unchanged without a stop. This is
   * the window the database would give ({@link DatabaseWindows}).
   */
  VehicleWindow next(Detection detection, List<RaisedEvent> detected) {
    List<Stop> stops = detection.stops();
    if (stops.isEmpty()) {
      return new VehicleWindow(
          vehicleId,
          fleetId,
          start,
          samples,
          before,
          Optional.of(detection),
          Optional.of(detected));
    }
    Stop last = stops.get(stops.size() - 1);
    WindowStart nextStart =
        last.open() ? WindowStart.atStop(last.startedAt()) : WindowStart.afterStop(last.endedAt());
    int from = indexOf(nextStart.since().orElseThrow());
    List<Sample> kept = List.copyOf(samples.subList(from, samples.size()));
    Sample previous = from == 0 ? before : samples.get(from - 1);
    List<Trip> trips =
        detection.trips().stream().filter(t -> nextStart.contains(t.startedAt())).toList();
    List<Stop> keptStops = stops.stream().filter(s -> nextStart.contains(s.startedAt())).toList();
    List<RaisedEvent> keptEvents =
        detected.stream().filter(e -> nextStart.contains(e.anchoredAt())).toList();
    return new VehicleWindow(
        vehicleId,
        fleetId,
        nextStart,
        kept,
        previous,
        Optional.of(new Detection(trips, keptStops)),
        Optional.of(keptEvents));
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
