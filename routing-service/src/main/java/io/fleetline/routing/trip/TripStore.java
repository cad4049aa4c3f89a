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
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes detected trips and stops in the caller's transaction, a fixed number of statements per
 * batch whatever the number of vehicles. Ids are derived from vehicle and start, so recomputing the
 * same history yields the same rows.
 *
 * <p>Two ways in: {@link #replace} deletes what starts in each vehicle's recomputed window and
 * inserts what was detected there; {@link #update} is given what is stored for the window and
 * writes only the difference, an open trip that goes on as a small update of its end and figures.
 *
 * <p>A trip's path is stored once it is closed; while open it is NULL, being exactly the vehicle's
 * history from the trip's start to its end.
 */
@Component
public class TripStore {

  private static final String DELETE_WINDOWS =
      """
      DELETE FROM %s t USING unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, since)
      WHERE t.vehicle_id = w.vehicle_id AND t.started_at >= w.since""";

  private static final String DELETE_IDS = "DELETE FROM %s WHERE id = ANY (?::uuid[])";

  private static final String UPSERT_TRIPS =
      """
      INSERT INTO trips (id, vehicle_id, fleet_id, started_at, ended_at, start_location,
                         end_location, distance_m, duration_s, max_speed_kmh, avg_speed_kmh, path,
                         point_count, open)
      SELECT id, v, f, s, e, ST_SetSRID(ST_MakePoint(s_lon, s_lat), 4326),
             ST_SetSRID(ST_MakePoint(e_lon, e_lat), 4326), d, dur, max_v, avg_v,
             ST_GeomFromText(wkt, 4326), n, o
      FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::timestamptz[], ?::timestamptz[],
                  ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
                  ?::float4[], ?::float4[], ?::text[], ?::int4[], ?::bool[])
           AS u(id, v, f, s, e, s_lon, s_lat, e_lon, e_lat, d, dur, max_v, avg_v, wkt, n, o)
      ON CONFLICT (id) DO UPDATE SET fleet_id = EXCLUDED.fleet_id, ended_at = EXCLUDED.ended_at,
          start_location = EXCLUDED.start_location, end_location = EXCLUDED.end_location,
          distance_m = EXCLUDED.distance_m, duration_s = EXCLUDED.duration_s,
          max_speed_kmh = EXCLUDED.max_speed_kmh, avg_speed_kmh = EXCLUDED.avg_speed_kmh,
          path = EXCLUDED.path, point_count = EXCLUDED.point_count, open = EXCLUDED.open,
          updated_at = now()""";

  /**
   * A trip still open, with the same start: its end and figures move on. An open trip's path is not
   * stored (it is its vehicle's history from start to end, which readers take from there); writing
   * it out again in every batch cost more than the rest of the batch's trip work.
   */
  private static final String UPDATE_OPEN_TRIPS =
      """
      UPDATE trips t SET ended_at = u.e, end_location = ST_SetSRID(ST_MakePoint(e_lon, e_lat), 4326),
          distance_m = u.d, duration_s = u.dur, max_speed_kmh = u.max_v, avg_speed_kmh = u.avg_v,
          point_count = u.n, updated_at = now()
      FROM unnest(?::uuid[], ?::timestamptz[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
                  ?::float4[], ?::float4[], ?::int4[])
           AS u(id, e, e_lon, e_lat, d, dur, max_v, avg_v, n)
      WHERE t.id = u.id""";

  private static final String UPSERT_STOPS =
      """
      INSERT INTO stops (id, vehicle_id, fleet_id, started_at, ended_at, location, duration_s,
                         open)
      SELECT id, v, f, s, e, ST_SetSRID(ST_MakePoint(lon, lat), 4326), dur, o
      FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::timestamptz[], ?::timestamptz[],
                  ?::float8[], ?::float8[], ?::float8[], ?::bool[])
           AS u(id, v, f, s, e, lon, lat, dur, o)
      ON CONFLICT (id) DO UPDATE SET fleet_id = EXCLUDED.fleet_id, ended_at = EXCLUDED.ended_at,
          location = EXCLUDED.location, duration_s = EXCLUDED.duration_s, open = EXCLUDED.open,
          updated_at = now()""";

  /** One vehicle's recomputed window: detection over its samples from {@code since} on. */
  public record Window(UUID vehicleId, UUID fleetId, String since, Detection detection) {}

  /**
   * One vehicle's window whose stored trips and stops are known: {@code stored} is what the table
   * holds from the window start on, {@code detected} what it must hold.
   */
  public record Change(UUID vehicleId, UUID fleetId, Detection stored, Detection detected) {}

  /** Deletes what starts in each window and inserts what was detected there. */
  public void replace(Connection c, List<Window> windows) throws SQLException {
    if (windows.isEmpty()) {
      return;
    }
    UUID[] vehicles = new UUID[windows.size()];
    String[] since = new String[windows.size()];
    for (int i = 0; i < windows.size(); i++) {
      vehicles[i] = windows.get(i).vehicleId();
      since[i] = windows.get(i).since();
    }
    for (String table : List.of("trips", "stops")) {
      try (PreparedStatement s = c.prepareStatement(DELETE_WINDOWS.formatted(table))) {
        s.setArray(1, c.createArrayOf("uuid", vehicles));
        s.setArray(2, c.createArrayOf("text", since));
        s.executeUpdate();
      }
    }
    Rows trips = new Rows();
    Rows stops = new Rows();
    for (Window w : windows) {
      w.detection().trips().forEach(t -> trips.trip(w.vehicleId(), w.fleetId(), t));
      w.detection().stops().forEach(s -> stops.stop(w.vehicleId(), w.fleetId(), s));
    }
    upsertTrips(c, trips);
    upsertStops(c, stops);
  }

  /** Writes the difference between what is stored and what was detected, vehicle by vehicle. */
  public void update(Connection c, List<Change> changes) throws SQLException {
    List<UUID> deletedTrips = new ArrayList<>();
    List<UUID> deletedStops = new ArrayList<>();
    Rows trips = new Rows();
    Rows goingOn = new Rows();
    Rows stops = new Rows();
    for (Change change : changes) {
      UUID vehicle = change.vehicleId();
      Map<Instant, Trip> storedTrips = new HashMap<>();
      change.stored().trips().forEach(t -> storedTrips.put(t.startedAt(), t));
      for (Trip t : change.detected().trips()) {
        Trip before = storedTrips.remove(t.startedAt());
        if (t.equals(before)) {
          continue;
        }
        if (before != null && before.open() && t.open()) {
          goingOn.goingOn(vehicle, t);
        } else {
          trips.trip(vehicle, change.fleetId(), t);
        }
      }
      storedTrips.values().forEach(t -> deletedTrips.add(id("trip", vehicle, t.startedAt())));
      Map<Instant, Stop> storedStops = new HashMap<>();
      change.stored().stops().forEach(s -> storedStops.put(s.startedAt(), s));
      for (Stop s : change.detected().stops()) {
        if (!s.equals(storedStops.remove(s.startedAt()))) {
          stops.stop(vehicle, change.fleetId(), s);
        }
      }
      storedStops.values().forEach(s -> deletedStops.add(id("stop", vehicle, s.startedAt())));
    }
    delete(c, "trips", deletedTrips);
    delete(c, "stops", deletedStops);
    upsertTrips(c, trips);
    updateOpenTrips(c, goingOn);
    upsertStops(c, stops);
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

  private static void upsertTrips(Connection c, Rows rows) throws SQLException {
    if (rows.id.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(UPSERT_TRIPS)) {
      int i = 1;
      s.setArray(i++, c.createArrayOf("uuid", rows.id.toArray()));
      s.setArray(i++, c.createArrayOf("uuid", rows.vehicle.toArray()));
      s.setArray(i++, c.createArrayOf("uuid", rows.fleet.toArray()));
      s.setArray(i++, c.createArrayOf("text", rows.start.toArray()));
      s.setArray(i++, c.createArrayOf("text", rows.end.toArray()));
      s.setArray(i++, c.createArrayOf("float8", rows.startLon.toArray()));
      s.setArray(i++, c.createArrayOf("float8", rows.startLat.toArray()));
      i = setFigures(c, s, i, rows);
      s.setArray(i++, c.createArrayOf("text", rows.wkt.toArray()));
      s.setArray(i++, c.createArrayOf("int4", rows.points.toArray()));
      s.setArray(i, c.createArrayOf("bool", rows.open.toArray()));
      s.executeUpdate();
    }
  }

  private static void updateOpenTrips(Connection c, Rows rows) throws SQLException {
    if (rows.id.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(UPDATE_OPEN_TRIPS)) {
      s.setArray(1, c.createArrayOf("uuid", rows.id.toArray()));
      s.setArray(2, c.createArrayOf("text", rows.end.toArray()));
      int i = setFigures(c, s, 3, rows);
      s.setArray(i, c.createArrayOf("int4", rows.points.toArray()));
      s.executeUpdate();
    }
  }

  /** Binds the end point and the trip's figures, shared by both trip statements. */
  private static int setFigures(Connection c, PreparedStatement s, int i, Rows rows)
      throws SQLException {
    s.setArray(i++, c.createArrayOf("float8", rows.endLon.toArray()));
    s.setArray(i++, c.createArrayOf("float8", rows.endLat.toArray()));
    s.setArray(i++, c.createArrayOf("float8", rows.distance.toArray()));
    s.setArray(i++, c.createArrayOf("float8", rows.duration.toArray()));
    s.setArray(i++, c.createArrayOf("float4", rows.maxSpeed.toArray()));
    s.setArray(i++, c.createArrayOf("float4", rows.avgSpeed.toArray()));
    return i;
  }

  private static void upsertStops(Connection c, Rows rows) throws SQLException {
    if (rows.id.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(UPSERT_STOPS)) {
      s.setArray(1, c.createArrayOf("uuid", rows.id.toArray()));
      s.setArray(2, c.createArrayOf("uuid", rows.vehicle.toArray()));
      s.setArray(3, c.createArrayOf("uuid", rows.fleet.toArray()));
      s.setArray(4, c.createArrayOf("text", rows.start.toArray()));
      s.setArray(5, c.createArrayOf("text", rows.end.toArray()));
      s.setArray(6, c.createArrayOf("float8", rows.startLon.toArray()));
      s.setArray(7, c.createArrayOf("float8", rows.startLat.toArray()));
      s.setArray(8, c.createArrayOf("float8", rows.duration.toArray()));
      s.setArray(9, c.createArrayOf("bool", rows.open.toArray()));
      s.executeUpdate();
    }
  }

  /** Column arrays of the rows one statement writes. */
  private static final class Rows {
    final List<UUID> id = new ArrayList<>();
    final List<UUID> vehicle = new ArrayList<>();
    final List<UUID> fleet = new ArrayList<>();
    final List<String> start = new ArrayList<>();
    final List<String> end = new ArrayList<>();
    final List<Double> startLon = new ArrayList<>();
    final List<Double> startLat = new ArrayList<>();
    final List<Double> endLon = new ArrayList<>();
    final List<Double> endLat = new ArrayList<>();
    final List<Double> distance = new ArrayList<>();
    final List<Double> duration = new ArrayList<>();
    final List<Float> maxSpeed = new ArrayList<>();
    final List<Float> avgSpeed = new ArrayList<>();
    final List<String> wkt = new ArrayList<>();
    final List<Integer> points = new ArrayList<>();
    final List<Boolean> open = new ArrayList<>();

    void trip(UUID vehicleId, UUID fleetId, Trip t) {
      id.add(id("trip", vehicleId, t.startedAt()));
      vehicle.add(vehicleId);
      fleet.add(fleetId);
      start.add(t.startedAt().toString());
      startLon.add(t.start().longitude());
      startLat.add(t.start().latitude());
      tripEnd(t);
      wkt.add(t.open() ? null : lineString(t.path()));
    }

    /** An open trip going on: its new end and figures. */
    void goingOn(UUID vehicleId, Trip t) {
      id.add(id("trip", vehicleId, t.startedAt()));
      tripEnd(t);
    }

    private void tripEnd(Trip t) {
      end.add(t.endedAt().toString());
      endLon.add(t.end().longitude());
      endLat.add(t.end().latitude());
      distance.add(t.distanceM());
      duration.add(t.durationS());
      maxSpeed.add(t.maxSpeedKmh() == null ? null : t.maxSpeedKmh().floatValue());
      avgSpeed.add((float) t.avgSpeedKmh());
      points.add(t.path().size());
      open.add(t.open());
    }

    void stop(UUID vehicleId, UUID fleetId, Stop s) {
      id.add(id("stop", vehicleId, s.startedAt()));
      vehicle.add(vehicleId);
      fleet.add(fleetId);
      start.add(s.startedAt().toString());
      end.add(s.endedAt().toString());
      startLon.add(s.place().longitude());
      startLat.add(s.place().latitude());
      duration.add(s.durationS());
      open.add(s.open());
    }
  }

  static UUID id(String kind, UUID vehicle, Instant startedAt) {
    return UUID.nameUUIDFromBytes(
        (kind + ":" + vehicle + ":" + startedAt).getBytes(StandardCharsets.UTF_8));
  }

  private static String lineString(List<Sample> points) {
    StringBuilder wkt = new StringBuilder(points.size() * 40).append("LINESTRING(");
    for (int i = 0; i < points.size(); i++) {
      if (i > 0) {
        wkt.append(',');
      }
      wkt.append(points.get(i).longitude()).append(' ').append(points.get(i).latitude());
    }
    return wkt.append(')').toString();
  }
}
