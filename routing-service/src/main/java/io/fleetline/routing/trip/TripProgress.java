package io.fleetline.routing.trip;

import static io.fleetline.routing.trip.ArrayColumns.column;

import io.fleetline.routing.trip.ArrayColumns.Type;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * An open trip going on, with the same start: only its end and figures move. An open trip's path is
 * not stored (it is its vehicle's history from start to end, which readers take from there);
 * writing it out again in every batch cost more than the rest of the batch's trip work.
 */
record TripProgress(UUID vehicleId, Trip trip) {

  private static final ArrayColumns<TripProgress> COLUMNS =
      new ArrayColumns<>(
          column("id", Type.UUID, TripProgress::id),
          column("ended_at", Type.TIMESTAMPTZ, r -> r.trip().endedAt()),
          column("end_lon", Type.FLOAT8, r -> r.trip().end().longitude()),
          column("end_lat", Type.FLOAT8, r -> r.trip().end().latitude()),
          column("distance_m", Type.FLOAT8, r -> r.trip().distanceM()),
          column("duration_s", Type.FLOAT8, r -> r.trip().durationS()),
          column("max_speed_kmh", Type.FLOAT4, r -> TripRow.real(r.trip().maxSpeedKmh())),
          column("avg_speed_kmh", Type.FLOAT4, r -> (float) r.trip().avgSpeedKmh()),
          column("point_count", Type.INT4, r -> r.trip().path().size()));

  private static final String UPDATE =
      """
      UPDATE trips t SET ended_at = u.ended_at,
          end_location = ST_SetSRID(ST_MakePoint(u.end_lon, u.end_lat), 4326),
          distance_m = u.distance_m, duration_s = u.duration_s, max_speed_kmh = u.max_speed_kmh,
          avg_speed_kmh = u.avg_speed_kmh, point_count = u.point_count, updated_at = now()
      FROM %s
      WHERE t.id = u.id"""
          .formatted(COLUMNS.unnest());

  /** Moves the stored open trips on to their new ends. */
  static void update(Connection c, List<TripProgress> rows) throws SQLException {
    COLUMNS.execute(c, UPDATE, rows);
  }

  UUID id() {
    return TripStore.tripId(vehicleId, trip.startedAt());
  }
}
