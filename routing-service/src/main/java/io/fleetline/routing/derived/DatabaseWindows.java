package io.fleetline.routing.derived;

import io.fleetline.routing.geofence.GeofenceCache;
import io.fleetline.routing.position.HistoryFollower.NewHistory;
import io.fleetline.routing.position.HistorySamples;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.WindowStart;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Windows read from the history in the database, for every vehicle given. A vehicle's window starts
 * at the first sample of its last stop that ended before the earliest new ping, or, when the batch
 * only appends after all stored history and that stop is over, at its departure; without such a
 * stop it is the whole history (see {@link TripDetector}). A fixed number of statements serves all
 * the vehicles.
 *
 * <p>The windows are streamed in vehicle order and handed on whenever the vehicles read so far hold
 * {@code readChunkSamples}, so a batch of a backlog touching many vehicles with long windows never
 * holds all their history at once.
 */
final class DatabaseWindows implements WindowSource {

  /**
   * Each vehicle's last stop that ended before its earliest new ping; a vehicle's stops never
   * overlap, so ordering them by start orders them by end.
   */
  private static final String STARTS =
      """
      SELECT w.vehicle_id, s.started_at, s.ended_at, s.open
      FROM unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, earliest)
      LEFT JOIN LATERAL (
          SELECT started_at, ended_at, open FROM stops
          WHERE stops.vehicle_id = w.vehicle_id AND stops.started_at < w.earliest
            AND stops.ended_at < w.earliest
          ORDER BY started_at DESC LIMIT 1) s ON true""";

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

  /** Rows the database sends at a time while a batch's windows are read. */
  private static final int FETCH_ROWS = 10_000;

  private final GeofenceCache geofences;
  private final int readChunkSamples;
  private final DistributionSummary readGroupSamples;

  DatabaseWindows(GeofenceCache geofences, DerivedSettings settings, MeterRegistry meters) {
    this.geofences = geofences;
    this.readChunkSamples = settings.readChunkSamples();
    this.readGroupSamples =
        DistributionSummary.builder("fleetline.routing.derived.read.samples")
            .description(
                "History samples read from the database and held together, per group of vehicles"
                    + " detected and written")
            .register(meters);
  }

  /** Gives every vehicle's window, a group of about {@code readChunkSamples} samples at a time. */
  @Override
  public Map<UUID, NewHistory> windows(
      Connection connection, Map<UUID, NewHistory> newHistory, Groups into) throws SQLException {
    if (newHistory.isEmpty()) {
      return Map.of();
    }
    Map<UUID, WindowStart> starts = starts(connection, newHistory);
    Map<UUID, Sample> before = before(connection, starts, newHistory);
    Set<UUID> unread = new HashSet<>(starts.keySet());
    List<VehicleWindow> group = new ArrayList<>();
    int held = 0;
    try (PreparedStatement s = HistorySamples.prepareBinary(connection, SAMPLES)) {
      bindStarts(connection, s, starts);
      // A constant lower bound lets the planner skip partitions older than every window.
      s.setString(3, Collections.min(starts.values(), WindowStart.EARLIEST_FIRST).timestamptz());
      // Rows come a round trip at a time, never many more than a group holds.
      s.setFetchSize(Math.min(FETCH_ROWS, readChunkSamples));
      try (ResultSet rs = s.executeQuery()) {
        UUID vehicle = null;
        List<Sample> samples = new ArrayList<>();
        while (rs.next()) {
          UUID rowVehicle = rs.getObject(1, UUID.class);
          if (!rowVehicle.equals(vehicle)) {
            if (vehicle != null) {
              group.add(window(vehicle, samples, starts, before, newHistory));
              held += samples.size();
              unread.remove(vehicle);
              if (held >= readChunkSamples) {
                readGroupSamples.record(held);
                into.accept(group);
                group = new ArrayList<>();
                held = 0;
              }
            }
            vehicle = rowVehicle;
            samples = new ArrayList<>();
          }
          samples.add(HistorySamples.read(rs, 2));
        }
        if (vehicle != null) {
          group.add(window(vehicle, samples, starts, before, newHistory));
          held += samples.size();
          unread.remove(vehicle);
        }
      }
    }
    for (UUID vehicle : unread) {
      group.add(window(vehicle, List.of(), starts, before, newHistory));
    }
    readGroupSamples.record(held);
    into.accept(group);
    return Map.of();
  }

  private static VehicleWindow window(
      UUID vehicle,
      List<Sample> samples,
      Map<UUID, WindowStart> starts,
      Map<UUID, Sample> before,
      Map<UUID, NewHistory> newHistory) {
    return VehicleWindow.read(
        vehicle,
        newHistory.get(vehicle).fleetId(),
        starts.get(vehicle),
        samples,
        before.get(vehicle));
  }

  /** Where each vehicle's window starts. */
  private static Map<UUID, WindowStart> starts(Connection c, Map<UUID, NewHistory> newHistory)
      throws SQLException {
    UUID[] vehicles = newHistory.keySet().toArray(UUID[]::new);
    String[] earliest = new String[vehicles.length];
    for (int i = 0; i < vehicles.length; i++) {
      earliest[i] = newHistory.get(vehicles[i]).earliest().toString();
    }
    Map<UUID, WindowStart> starts = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(STARTS)) {
      s.setArray(1, c.createArrayOf("uuid", vehicles));
      s.setArray(2, c.createArrayOf("text", earliest));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          UUID vehicle = rs.getObject(1, UUID.class);
          Timestamp stopStarted = rs.getTimestamp(2);
          starts.put(
              vehicle,
              stopStarted == null
                  ? WindowStart.WHOLE_HISTORY
                  : start(
                      newHistory.get(vehicle), stopStarted, rs.getTimestamp(3), rs.getBoolean(4)));
        }
      }
    }
    return starts;
  }

  /** At the stop's first sample, or at its departure when it is over and the batch only appends. */
  private static WindowStart start(
      NewHistory added, Timestamp stopStarted, Timestamp stopEnded, boolean stopOpen) {
    boolean appendOnly =
        added.previousLatest() != null && added.earliest().isAfter(added.previousLatest());
    return appendOnly && !stopOpen
        ? WindowStart.afterStop(stopEnded.toInstant())
        : WindowStart.atStop(stopStarted.toInstant());
  }

  /**
   * The sample just before each window. Geofence state needs it where there are geofences; a window
   * kept in memory needs it in case they come.
   */
  private Map<UUID, Sample> before(
      Connection c, Map<UUID, WindowStart> starts, Map<UUID, NewHistory> newHistory)
      throws SQLException {
    Map<UUID, WindowStart> needed = new HashMap<>();
    starts.forEach(
        (vehicle, start) -> {
          NewHistory added = newHistory.get(vehicle);
          if (start.since().isPresent()
              && (added.owner() != null || !geofences.forFleet(added.fleetId()).isEmpty())) {
            needed.put(vehicle, start);
          }
        });
    Map<UUID, Sample> before = new HashMap<>();
    if (needed.isEmpty()) {
      return before;
    }
    try (PreparedStatement s = c.prepareStatement(BEFORE)) {
      bindStarts(c, s, needed);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          before.put(rs.getObject(1, UUID.class), HistorySamples.read(rs, 2));
        }
      }
    }
    return before;
  }

  private static void bindStarts(Connection c, PreparedStatement s, Map<UUID, WindowStart> starts)
      throws SQLException {
    UUID[] vehicles = starts.keySet().toArray(UUID[]::new);
    String[] since = new String[vehicles.length];
    for (int i = 0; i < vehicles.length; i++) {
      since[i] = starts.get(vehicles[i]).timestamptz();
    }
    s.setArray(1, c.createArrayOf("uuid", vehicles));
    s.setArray(2, c.createArrayOf("text", since));
  }
}
