package io.fleetline.routing.derived;

import io.fleetline.routing.event.DetectedEvent;
import io.fleetline.routing.event.EventDetector;
import io.fleetline.routing.event.PendingEvent;
import io.fleetline.routing.geofence.GeofenceCache;
import io.fleetline.routing.position.HistoryFollower.NewHistory;
import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One batch's way from windows to derived data, whichever source gave them: trips, stops and events
 * detected over each window, the trips and stops written a group of windows at a time, the events
 * collected to be stored together, and each window's successor offered to be kept.
 */
final class Derivation implements WindowSource.Groups {

  private final Connection connection;
  private final Map<UUID, NewHistory> newHistory;
  private final TripDetector trips;
  private final EventDetector events;
  private final GeofenceCache geofences;
  private final TripStore tripStore;
  private final KeptWindows.Successors successors;
  private final List<PendingEvent> detected = new ArrayList<>();

  Derivation(
      Connection connection,
      Map<UUID, NewHistory> newHistory,
      TripDetector trips,
      EventDetector events,
      GeofenceCache geofences,
      TripStore tripStore,
      KeptWindows.Successors successors) {
    this.connection = connection;
    this.newHistory = newHistory;
    this.trips = trips;
    this.events = events;
    this.geofences = geofences;
    this.tripStore = tripStore;
    this.successors = successors;
  }

  @Override
  public void accept(List<VehicleWindow> group) throws SQLException {
    List<TripStore.Window> written = new ArrayList<>(group.size());
    for (VehicleWindow window : group) {
      Detection detection = window.start().detect(trips, window.samples());
      written.add(
          new TripStore.Window(
              window.vehicleId(), window.fleetId(), window.start(), window.stored(), detection));
      Set<String> keys = detectEvents(window, detection);
      String owner = newHistory.get(window.vehicleId()).owner();
      if (owner != null && !window.samples().isEmpty()) {
        successors.offer(owner, window.next(detection, keys));
      }
    }
    tripStore.write(connection, written);
  }

  /** The events detected over all windows and not known to be stored, to be stored. */
  List<PendingEvent> pendingEvents() {
    return detected;
  }

  /**
   * Events of one window; those known to be stored already are left out. Returns the keys of all
   * events detected.
   */
  private Set<String> detectEvents(VehicleWindow window, Detection detection) {
    Set<String> keys = new HashSet<>();
    for (DetectedEvent e :
        events.detect(
            window.vehicleId(),
            window.fleetId(),
            window.before(),
            window.samples(),
            detection,
            geofences.forFleet(window.fleetId()))) {
      keys.add(e.key());
      if (!window.eventKeys().contains(e.key())) {
        detected.add(new PendingEvent(window.vehicleId(), window.fleetId(), e));
      }
    }
    return keys;
  }
}
