package io.fleetline.routing.trip;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes detected trips and stops in the caller's transaction, a fixed number of statements per
 * group of windows whatever the number of vehicles. Ids are derived from vehicle and start, so
 * recomputing the same history yields the same rows.
 *
 * <p>A window whose stored trips and stops are known gets only the difference written, an open trip
 * that goes on as a small update of its end and figures ({@link TripProgress}); in a window whose
 * stored rows are not known, what starts in it is deleted and what was detected inserted.
 */
@Component
public class TripStore {

  private static final String DELETE_WINDOWS =
      """
      DELETE FROM %s t USING unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, since)
      WHERE t.vehicle_id = w.vehicle_id AND t.started_at >= w.since""";

  private static final String DELETE_IDS = "DELETE FROM %s WHERE id = ANY (?::uuid[])";

  /**
   * Detection over one vehicle's window of history.
   *
   * @param start where the window begins
   * @param stored the trips and stops stored from {@code start} on, when known
   * @param detected the trips and stops that must be stored from {@code start} on
   */
  public record Window(
      UUID vehicleId,
      UUID fleetId,
      WindowStart start,
      Optional<Detection> stored,
      Detection detected) {}

  /** Brings the stored trips and stops of each window to what was detected there. */
  public void write(Connection c, List<Window> windows) throws SQLException {
    Changes changes = new Changes();
    for (Window window : windows) {
      if (window.stored().isPresent()) {
        changes.difference(window, window.stored().get());
      } else {
        changes.replace(window);
      }
    }
    deleteWindows(c, changes.replaced);
    delete(c, "trips", changes.deletedTrips);
    delete(c, "stops", changes.deletedStops);
    TripRow.upsert(c, changes.trips);
    TripProgress.update(c, changes.tripsGoingOn);
    StopRow.upsert(c, changes.stops);
  }

  /** What a group of windows changes in the tables. */
  private static final class Changes {
    final List<Window> replaced = new ArrayList<>();
    final List<UUID> deletedTrips = new ArrayList<>();
    final List<UUID> deletedStops = new ArrayList<>();
    final List<TripRow> trips = new ArrayList<>();
    final List<TripProgress> tripsGoingOn = new ArrayList<>();
    final List<StopRow> stops = new ArrayList<>();

    /** Everything starting in the window is deleted, and what was detected there inserted. */
    void replace(Window w) {
      replaced.add(w);
      w.detected().trips().forEach(t -> trips.add(new TripRow(w.vehicleId(), w.fleetId(), t)));
      w.detected().stops().forEach(s -> stops.add(new StopRow(w.vehicleId(), w.fleetId(), s)));
    }

    /** Only what differs from what is stored is written. */
    void difference(Window w, Detection stored) {
      UUID vehicle = w.vehicleId();
      Map<Instant, Trip> storedTrips = new HashMap<>();
      stored.trips().forEach(t -> storedTrips.put(t.startedAt(), t));
      for (Trip t : w.detected().trips()) {
        Trip before = storedTrips.remove(t.startedAt());
        if (t.equals(before)) {
          continue;
        }
        if (before != null && before.open() && t.open()) {
          tripsGoingOn.add(new TripProgress(vehicle, t));
        } else {
          trips.add(new TripRow(vehicle, w.fleetId(), t));
        }
      }
      storedTrips.values().forEach(t -> deletedTrips.add(tripId(vehicle, t.startedAt())));
      Map<Instant, Stop> storedStops = new HashMap<>();
      stored.stops().forEach(s -> storedStops.put(s.startedAt(), s));
      for (Stop s : w.detected().stops()) {
        if (!s.equals(storedStops.remove(s.startedAt()))) {
          stops.add(new StopRow(vehicle, w.fleetId(), s));
        }
      }
      storedStops.values().forEach(s -> deletedStops.add(stopId(vehicle, s.startedAt())));
    }
  }

  /** Deletes the trips and stops starting in each of the windows. */
  private static void deleteWindows(Connection c, List<Window> windows) throws SQLException {
    if (windows.isEmpty()) {
      return;
    }
    UUID[] vehicles = new UUID[windows.size()];
    String[] since = new String[windows.size()];
    for (int i = 0; i < windows.size(); i++) {
      vehicles[i] = windows.get(i).vehicleId();
      since[i] = windows.get(i).start().timestamptz();
    }
    for (String table : List.of("trips", "stops")) {
      try (PreparedStatement s = c.prepareStatement(DELETE_WINDOWS.formatted(table))) {
        s.setArray(1, c.createArrayOf("uuid", vehicles));
        s.setArray(2, c.createArrayOf("text", since));
        s.executeUpdate();
      }
    }
  }

  private static void delete(Connection c, String table, List<UUID> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(DELETE_IDS.formatted(table))) {
      s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      s.executeUpdate();
    }
  }

  static UUID tripId(UUID vehicle, Instant startedAt) {
    return id("trip", vehicle, startedAt);
  }

  static UUID stopId(UUID vehicle, Instant startedAt) {
    return id("stop", vehicle, startedAt);
  }

  private static UUID id(String kind, UUID vehicle, Instant startedAt) {
    return UUID.nameUUIDFromBytes(
        (kind + ":" + vehicle + ":" + startedAt).getBytes(StandardCharsets.UTF_8));
  }
}
