package io.fleetline.routing.trip;

import static io.fleetline.routing.trip.ArrayColumns.column;

import io.fleetline.routing.trip.ArrayColumns.Type;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * A trip written whole, inserted or replacing the stored one of the same id. Its path is stored
 * once it is closed; while open it is NULL, being exactly the vehicle's history from the trip's
 * start to its end.
 */
record TripRow(UUID vehicleId, UUID fleetId, Trip trip) {

  private static final ArrayColumns<TripRow> COLUMNS =
      new ArrayColumns<>(
          column("id", Type.UUID, TripRow::id),
          column("vehicle_id", Type.UUID, TripRow::vehicleId),
          column("fleet_id", Type.UUID, TripRow::fleetId),
          column("started_at", Type.TIMESTAMPTZ, r -> r.trip().startedAt()),
          column("ended_at", Type.TIMESTAMPTZ, r -> r.trip().endedAt()),
          column("start_lon", Type.FLOAT8, r -> r.trip().start().longitude()),
          column("start_lat", Type.FLOAT8, r -> r.trip().start().latitude()),
          column("end_lon", Type.FLOAT8, r -> r.trip().end().longitude()),
          column("end_lat", Type.FLOAT8, r -> r.trip().end().latitude()),
          column("distance_m", Type.FLOAT8, r -> r.trip().distanceM()),
          column("duration_s", Type.FLOAT8, r -> r.trip().durationS()),
          column("max_speed_kmh", Type.FLOAT4, r -> TripRow.real(r.trip().maxSpeedKmh())),
          column("avg_speed_kmh", Type.FLOAT4, r -> (float) r.trip().avgSpeedKmh()),
          column("path_wkt", Type.TEXT, r -> r.trip().open() ? null : lineString(r.trip().path())),
          column("point_count", Type.INT4, r -> r.trip().path().size()),
          column("open", Type.BOOL, r -> r.trip().open()));

  private static final String UPSERT =
      """
      INSERT INTO trips (id, vehicle_id, fleet_id, started_at, ended_at, start_location,
                         end_location, distance_m, duration_s, max_speed_kmh, avg_speed_kmh, path,
                         point_count, open)
      SELECT id, vehicle_id, fleet_id, started_at, ended_at,
             ST_SetSRID(ST_MakePoint(start_lon, start_lat), 4326),
             ST_SetSRID(ST_MakePoint(end_lon, end_lat), 4326), distance_m, duration_s,
             max_speed_kmh, avg_speed_kmh, ST_GeomFromText(path_wkt, 4326), point_count, open
      FROM %s
      ON CONFLICT (id) DO UPDATE SET fleet_id = EXCLUDED.fleet_id, ended_at = EXCLUDED.ended_at,
          start_location = EXCLUDED.start_location, end_location = EXCLUDED.end_location,
          distance_m = EXCLUDED.distance_m, duration_s = EXCLUDED.duration_s,
          max_speed_kmh = EXCLUDED.max_speed_kmh, avg_speed_kmh = EXCLUDED.avg_speed_kmh,
          path = EXCLUDED.path, point_count = EXCLUDED.point_count, open = EXCLUDED.open,
          updated_at = now()"""
          .formatted(COLUMNS.unnest());

  /** Inserts the trips, replacing those stored with the same ids. */
  static void upsert(Connection c, List<TripRow> rows) throws SQLException {
    COLUMNS.execute(c, UPSERT, rows);
  }

  UUID id() {
    return TripStore.tripId(vehicleId, trip.startedAt());
  }

  /** A speed as the {@code real} column holds it. */
  static Float real(Double speedKmh) {
    return speedKmh == null ? null : speedKmh.floatValue();
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
