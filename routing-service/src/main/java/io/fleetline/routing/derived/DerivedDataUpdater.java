package io.fleetline.routing.derived;

import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.event.DetectedEvent;
import io.fleetline.routing.event.EventDetector;
import io.fleetline.routing.event.EventStore;
import io.fleetline.routing.event.PendingEvent;
import io.fleetline.routing.geofence.Geofence;
import io.fleetline.routing.geofence.GeofenceCache;
import io.fleetline.routing.position.HistoryFollower;
import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Recomputes trips, stops and events for the vehicles a batch added history to, inside the batch
 * transaction.
 *
 * <p>Per vehicle the window starts at the first sample of the last stop that ended before the
 * earliest new ping (the whole history when there is none): detection restarted there gives what
 * detection over the whole history would (see {@link TripDetector}), so only the window is read
 * from {@code positions}, and the trips and stops starting in it are deleted and inserted anew. A
 * fixed number of statements per batch serves all its vehicles.
 */
@Component
@ConditionalOnProperty(
    name = "fleetline.routing.derived.enabled",
    havingValue = "true",
    matchIfMissing = true)
class DerivedDataUpdater implements HistoryFollower {

  /** Before any stored time: the window of a vehicle without a stop is its whole history. */
  private static final String ALL = "-infinity";

  private static final String WINDOWS =
      """
      SELECT w.vehicle_id, s.started_at, s.ended_at, s.open
      FROM unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, earliest)
      LEFT JOIN LATERAL (
          SELECT started_at, ended_at, open FROM stops
          WHERE stops.vehicle_id = w.vehicle_id AND stops.ended_at < w.earliest
          ORDER BY ended_at DESC LIMIT 1) s ON true""";

  private static final String SAMPLES =
      """
      SELECT p.vehicle_id, p.recorded_at, ST_Y(p.location), ST_X(p.location), p.speed_kmh,
             p.ignition
      FROM unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, since)
      JOIN positions p ON p.vehicle_id = w.vehicle_id AND p.recorded_at >= w.since
      WHERE p.recorded_at >= ?::timestamptz
      ORDER BY p.vehicle_id, p.recorded_at""";

  private static final String BEFORE =
      """
      SELECT w.vehicle_id, b.recorded_at, ST_Y(b.location), ST_X(b.location), b.speed_kmh,
             b.ignition
      FROM unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, since)
      JOIN LATERAL (
          SELECT recorded_at, location, speed_kmh, ignition FROM positions p
          WHERE p.vehicle_id = w.vehicle_id AND p.recorded_at < w.since
          ORDER BY p.recorded_at DESC LIMIT 1) b ON true""";

  private final TripDetector trips;
  private final EventDetector events;
  private final GeofenceCache geofences;
  private final TripStore tripStore;
  private final EventStore eventStore;

  DerivedDataUpdater(
      TripDetector trips,
      EventDetector events,
      GeofenceCache geofences,
      TripStore tripStore,
      EventStore eventStore) {
    this.trips = trips;
    this.events = events;
    this.geofences = geofences;
    this.tripStore = tripStore;
    this.eventStore = eventStore;
  }

  @Override
  public List<VehicleEvent> follow(Connection connection, Map<UUID, NewHistory> newHistory)
      throws SQLException {
    Map<UUID, String> since = new HashMap<>();
    java.util.Set<UUID> afterStop = new java.util.HashSet<>();
    windows(connection, newHistory, since, afterStop);
    Map<UUID, List<Sample>> samples = samples(connection, since);
    Map<UUID, Sample> before = before(connection, since, newHistory);
    List<TripStore.Window> results = new ArrayList<>(since.size());
    List<PendingEvent> detected = new ArrayList<>();
    for (Map.Entry<UUID, String> w : since.entrySet()) {
      UUID vehicle = w.getKey();
      UUID fleet = newHistory.get(vehicle).fleetId();
      List<Sample> window = samples.getOrDefault(vehicle, List.of());
      Detection detection =
          afterStop.contains(vehicle) ? trips.detectAfterStop(window) : trips.detect(window);
      results.add(new TripStore.Window(vehicle, fleet, w.getValue(), detection));
      List<Geofence> fleetGeofences = geofences.forFleet(fleet);
      for (DetectedEvent e :
          events.detect(vehicle, fleet, before.get(vehicle), window, detection, fleetGeofences)) {
        detected.add(new PendingEvent(vehicle, fleet, e));
      }
    }
    tripStore.replace(connection, results);
    return eventStore.insertNew(connection, detected);
  }

  /**
   * Where each vehicle's window starts: at the first sample of the last stop that ended before the
   * earliest new ping, or, when the batch only appends after all stored history and that stop is
   * over, at its departure; the whole history when there is no stop.
   */
  private static void windows(
      Connection c,
      Map<UUID, NewHistory> newHistory,
      Map<UUID, String> since,
      java.util.Set<UUID> afterStop)
      throws SQLException {
    UUID[] vehicles = newHistory.keySet().toArray(UUID[]::new);
    String[] earliest = new String[vehicles.length];
    for (int i = 0; i < vehicles.length; i++) {
      earliest[i] = newHistory.get(vehicles[i]).earliest().toString();
    }
    try (PreparedStatement s = c.prepareStatement(WINDOWS)) {
      s.setArray(1, c.createArrayOf("uuid", vehicles));
      s.setArray(2, c.createArrayOf("text", earliest));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          UUID vehicle = rs.getObject(1, UUID.class);
          java.sql.Timestamp start = rs.getTimestamp(2);
          if (start == null) {
            since.put(vehicle, ALL);
            continue;
          }
          NewHistory added = newHistory.get(vehicle);
          boolean appendOnly =
              added.previousLatest() != null && added.earliest().isAfter(added.previousLatest());
          if (appendOnly && !rs.getBoolean(4)) {
            since.put(vehicle, rs.getTimestamp(3).toInstant().toString());
            afterStop.add(vehicle);
          } else {
            since.put(vehicle, start.toInstant().toString());
          }
        }
      }
    }
  }

  private static Map<UUID, List<Sample>> samples(Connection c, Map<UUID, String> since)
      throws SQLException {
    String lowest = ALL;
    if (!since.containsValue(ALL)) {
      lowest =
          since.values().stream()
              .map(Instant::parse)
              .min(Instant::compareTo)
              .orElseThrow()
              .toString();
    }
    Map<UUID, List<Sample>> samples = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(SAMPLES)) {
      bindWindows(c, s, since);
      // A constant lower bound lets the planner skip partitions older than every window.
      s.setString(3, lowest);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          samples
              .computeIfAbsent(rs.getObject(1, UUID.class), v -> new ArrayList<>())
              .add(sample(rs));
        }
      }
    }
    return samples;
  }

  private Map<UUID, Sample> before(
      Connection c, Map<UUID, String> since, Map<UUID, NewHistory> newHistory) throws SQLException {
    // Only geofence state needs the sample before a window, and only where there are geofences.
    Map<UUID, String> needed = new HashMap<>();
    since.forEach(
        (vehicle, start) -> {
          if (!ALL.equals(start)
              && !geofences.forFleet(newHistory.get(vehicle).fleetId()).isEmpty()) {
            needed.put(vehicle, start);
          }
        });
    Map<UUID, Sample> before = new HashMap<>();
    if (needed.isEmpty()) {
      return before;
    }
    try (PreparedStatement s = c.prepareStatement(BEFORE)) {
      bindWindows(c, s, needed);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          before.put(rs.getObject(1, UUID.class), sample(rs));
        }
      }
    }
    return before;
  }

  static void bindWindows(Connection c, PreparedStatement s, Map<UUID, String> since)
      throws SQLException {
    UUID[] vehicles = since.keySet().toArray(UUID[]::new);
    String[] starts = new String[vehicles.length];
    for (int i = 0; i < vehicles.length; i++) {
      starts[i] = since.get(vehicles[i]);
    }
    s.setArray(1, c.createArrayOf("uuid", vehicles));
    s.setArray(2, c.createArrayOf("text", starts));
  }

  private static Sample sample(ResultSet rs) throws SQLException {
    float speed = rs.getFloat(5);
    Double speedKmh = rs.wasNull() ? null : (double) speed;
    boolean ignition = rs.getBoolean(6);
    Boolean ignitionOn = rs.wasNull() ? null : ignition;
    return new Sample(
        rs.getTimestamp(2).toInstant(), rs.getDouble(3), rs.getDouble(4), speedKmh, ignitionOn);
  }
}
