package io.fleetline.routing.derived;

import io.fleetline.routing.event.DetectedEvent;
import io.fleetline.routing.event.EventDetector;
import io.fleetline.routing.event.EventDiff;
import io.fleetline.routing.event.EventStore;
import io.fleetline.routing.event.PendingEvent;
import io.fleetline.routing.event.RaisedEvent;
import io.fleetline.routing.geofence.Geofence;
import io.fleetline.routing.geofence.GeofenceCache;
import io.fleetline.routing.position.HistoryFollower.NewHistory;
import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripStore;
import io.fleetline.routing.trip.WindowStart;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One batch's way from windows to derived data, whichever source gave them: trips, stops and events
 * detected over each window, the trips and stops written a group of windows at a time, the events
 * compared with those stored for the window ({@link EventDiff}) and the difference collected to be
 * stored together, and each window's successor offered to be kept.
 */
final class Derivation implements WindowSource.Groups {

  private final Connection connection;
  private final Map<UUID, NewHistory> newHistory;
  private final TripDetector trips;
  private final EventDetector events;
  private final GeofenceCache geofences;
  private final TripStore tripStore;
  private final EventStore eventStore;
  private final KeptWindows.Successors successors;
  private final List<PendingEvent> detected = new ArrayList<>();
  private final List<String> retracted = new ArrayList<>();

  Derivation(
      Connection connection,
      Map<UUID, NewHistory> newHistory,
      TripDetector trips,
      EventDetector events,
      GeofenceCache geofences,
      TripStore tripStore,
      EventStore eventStore,
      KeptWindows.Successors successors) {
    this.connection = connection;
    this.newHistory = newHistory;
    this.trips = trips;
    this.events = events;
    this.geofences = geofences;
    this.tripStore = tripStore;
    this.eventStore = eventStore;
    this.successors = successors;
  }

  @Override
  public void accept(List<VehicleWindow> group) throws SQLException {
    Map<UUID, List<RaisedEvent>> storedEvents = storedEvents(group);
    List<TripStore.Window> written = new ArrayList<>(group.size());
    for (VehicleWindow window : group) {
      Detection detection = window.start().detect(trips, window.samples());
      written.add(
          new TripStore.Window(
              window.vehicleId(), window.fleetId(), window.start(), window.stored(), detection));
      List<RaisedEvent> found = detectEvents(window, detection, storedEvents);
      String owner = newHistory.get(window.vehicleId()).owner();
      if (owner != null && !window.samples().isEmpty()) {
        successors.offer(owner, window.next(detection, found));
      }
    }
    tripStore.write(connection, written);
  }

  /** The events detected over all windows and not stored yet, to be stored. */
  List<PendingEvent> pendingEvents() {
    return detected;
  }

  /** The keys of the stored events the windows no longer imply, to be retracted. */
  List<String> retractedKeys() {
    return retracted;
  }

  /** The events stored for each window: known for kept windows, read for the others. */
  private Map<UUID, List<RaisedEvent>> storedEvents(List<VehicleWindow> group) throws SQLException {
    Map<UUID, List<RaisedEvent>> known = new HashMap<>();
    Map<UUID, WindowStart> unknown = new HashMap<>();
    for (VehicleWindow window : group) {
      if (window.storedEvents().isPresent()) {
        known.put(window.vehicleId(), window.storedEvents().get());
      } else if (!window.samples().isEmpty()) {
        unknown.put(window.vehicleId(), window.start());
      }
    }
    known.putAll(eventStore.raisedIn(connection, unknown));
    return known;
  }

  /**
   * Events of one window: those not stored yet are collected to be stored, and the stored ones the
   * window no longer implies to be retracted. Returns all events detected.
   */
  private List<RaisedEvent> detectEvents(
      VehicleWindow window, Detection detection, Map<UUID, List<RaisedEvent>> storedEvents) {
    List<Geofence> fleetGeofences = geofences.forFleet(window.fleetId());
    List<DetectedEvent> found =
        events.detect(
            window.vehicleId(),
            window.fleetId(),
            window.before(),
            window.samples(),
            detection,
            fleetGeofences);
    Set<UUID> geofenceIds = fleetGeofences.stream().map(Geofence::id).collect(Collectors.toSet());
    EventDiff diff =
        EventDiff.of(
            found,
            storedEvents.getOrDefault(window.vehicleId(), List.of()),
            coveredFrom(window),
            geofenceIds);
    diff.raised()
        .forEach(e -> detected.add(new PendingEvent(window.vehicleId(), window.fleetId(), e)));
    retracted.addAll(diff.retracted());
    return found.stream().map(RaisedEvent::of).toList();
  }

  /**
   * The earliest time the window's history covers, or null when it lacks its own start: its first
   * sample, unless history from the window's start on was dropped (retention), or there is none.
   */
  private static Instant coveredFrom(VehicleWindow window) {
    if (window.samples().isEmpty()) {
      return null;
    }
    Instant first = window.samples().get(0).recordedAt();
    return window.start().since().map(since -> since.equals(first) ? first : null).orElse(first);
  }
}
