package io.fleetline.routing.trip;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Replaces the trips and stops of recomputed windows: those starting in a vehicle's window are
 * deleted and the newly detected ones inserted, in the caller's transaction. Ids are derived from
 * vehicle and start, so recomputing the same history yields the same rows.
 */
@Component
public class TripStore {

  private static final String DELETE =
      """
      DELETE FROM %s t USING unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, since)
      WHERE t.vehicle_id = w.vehicle_id AND t.started_at >= w.since""";

  private static final String INSERT_TRIP =
      """
      INSERT INTO trips (id, vehicle_id, fleet_id, started_at, ended_at, start_location,
                         end_location, distance_m, duration_s, max_speed_kmh, avg_speed_kmh, path,
                         point_count, open)
      VALUES (?, ?, ?, ?::timestamptz, ?::timestamptz, ST_SetSRID(ST_MakePoint(?, ?), 4326),
              ST_SetSRID(ST_MakePoint(?, ?), 4326), ?, ?, ?, ?, ST_GeomFromText(?, 4326), ?, ?)""";

  private static final String INSERT_STOP =
      """
      INSERT INTO stops (id, vehicle_id, fleet_id, started_at, ended_at, location, duration_s,
                         open)
      VALUES (?, ?, ?, ?::timestamptz, ?::timestamptz, ST_SetSRID(ST_MakePoint(?, ?), 4326), ?,
              ?)""";

  /** One vehicle's recomputed window: detection over its samples from {@code since} on. */
  public record Window(UUID vehicleId, UUID fleetId, String since, Detection detection) {}

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
      try (PreparedStatement s = c.prepareStatement(DELETE.formatted(table))) {
        s.setArray(1, c.createArrayOf("uuid", vehicles));
        s.setArray(2, c.createArrayOf("text", since));
        s.executeUpdate();
      }
    }
    try (PreparedStatement trips = c.prepareStatement(INSERT_TRIP);
        PreparedStatement stops = c.prepareStatement(INSERT_STOP)) {
      int tripRows = 0;
      int stopRows = 0;
      for (Window w : windows) {
        for (Trip t : w.detection().trips()) {
          addTrip(trips, w, t);
          tripRows++;
        }
        for (Stop s : w.detection().stops()) {
          addStop(stops, w, s);
          stopRows++;
        }
      }
      if (tripRows > 0) {
        trips.executeBatch();
      }
      if (stopRows > 0) {
        stops.executeBatch();
      }
    }
  }

  private static void addTrip(PreparedStatement s, Window w, Trip t) throws SQLException {
    s.setObject(1, id("trip", w.vehicleId(), t.startedAt().toString()));
    s.setObject(2, w.vehicleId());
    s.setObject(3, w.fleetId());
    s.setString(4, t.startedAt().toString());
    s.setString(5, t.endedAt().toString());
    s.setDouble(6, t.start().longitude());
    s.setDouble(7, t.start().latitude());
    s.setDouble(8, t.end().longitude());
    s.setDouble(9, t.end().latitude());
    s.setDouble(10, t.distanceM());
    s.setDouble(11, t.durationS());
    if (t.maxSpeedKmh() == null) {
      s.setNull(12, Types.REAL);
    } else {
      s.setFloat(12, t.maxSpeedKmh().floatValue());
    }
    s.setFloat(13, (float) t.avgSpeedKmh());
    s.setString(14, lineString(t.path()));
    s.setInt(15, t.path().size());
    s.setBoolean(16, t.open());
    s.addBatch();
  }

  private static void addStop(PreparedStatement s, Window w, Stop stop) throws SQLException {
    s.setObject(1, id("stop", w.vehicleId(), stop.startedAt().toString()));
    s.setObject(2, w.vehicleId());
    s.setObject(3, w.fleetId());
    s.setString(4, stop.startedAt().toString());
    s.setString(5, stop.endedAt().toString());
    s.setDouble(6, stop.place().longitude());
    s.setDouble(7, stop.place().latitude());
    s.setDouble(8, stop.durationS());
    s.setBoolean(9, stop.open());
    s.addBatch();
  }

  static UUID id(String kind, UUID vehicle, String startedAt) {
    return UUID.nameUUIDFromBytes(
        (kind + ":" + vehicle + ":" + startedAt).getBytes(StandardCharsets.UTF_8));
  }

  private static String lineString(List<Sample> path) {
    StringBuilder wkt = new StringBuilder(path.size() * 40).append("LINESTRING(");
    for (int i = 0; i < path.size(); i++) {
      if (i > 0) {
        wkt.append(',');
      }
      wkt.append(path.get(i).longitude()).append(' ').append(path.get(i).latitude());
    }
    return wkt.append(')').toString();
  }
}
