package io.fleetline.routing.trip;

import static io.fleetline.routing.trip.ArrayColumns.column;

import io.fleetline.routing.trip.ArrayColumns.Type;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** A stop written whole, inserted or replacing the stored one of the same id. */
record StopRow(UUID vehicleId, UUID fleetId, Stop stop) {

  private static final ArrayColumns<StopRow> COLUMNS =
      new ArrayColumns<>(
          column("id", Type.UUID, StopRow::id),
          column("vehicle_id", Type.UUID, StopRow::vehicleId),
          column("fleet_id", Type.UUID, StopRow::fleetId),
          column("started_at", Type.TIMESTAMPTZ, r -> r.stop().startedAt()),
          column("ended_at", Type.TIMESTAMPTZ, r -> r.stop().endedAt()),
          column("lon", Type.FLOAT8, r -> r.stop().place().longitude()),
          column("lat", Type.FLOAT8, r -> r.stop().place().latitude()),
          column("duration_s", Type.FLOAT8, r -> r.stop().durationS()),
          column("open", Type.BOOL, r -> r.stop().open()));

  private static final String UPSERT =
      """
      INSERT INTO stops (id, vehicle_id, fleet_id, started_at, ended_at, location, duration_s,
                         open)
      SELECT id, vehicle_id, fleet_id, started_at, ended_at,
             ST_SetSRID(ST_MakePoint(lon, lat), 4326), duration_s, open
      FROM %s
      ON CONFLICT (id) DO UPDATE SET fleet_id = EXCLUDED.fleet_id, ended_at = EXCLUDED.ended_at,
          location = EXCLUDED.location, duration_s = EXCLUDED.duration_s, open = EXCLUDED.open,
          updated_at = now()"""
          .formatted(COLUMNS.unnest());

  /** Inserts the stops, replacing those stored with the same ids. */
  static void upsert(Connection c, List<StopRow> rows) throws SQLException {
    COLUMNS.execute(c, UPSERT, rows);
  }

  UUID id() {
    return TripStore.stopId(vehicleId, stop.startedAt());
  }
}
