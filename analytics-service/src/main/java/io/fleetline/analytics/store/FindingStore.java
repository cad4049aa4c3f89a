package io.fleetline.analytics.store;

import io.fleetline.analytics.stream.DailySummary;
import io.fleetline.analytics.stream.DetectedEvent;
import io.fleetline.analytics.stream.VehicleStatus;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Writes a batch of findings in one transaction, idempotently: events by {@code event_key} (a
 * redelivered one changes nothing), summaries and statuses only over a lower revision (a
 * redelivered older one changes nothing either). Returns the events that are new.
 */
@Component
class FindingStore {

  private static final String INSERT_EVENT =
      """
      INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at, location,
                                  details)
      VALUES (?, ?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326), ?::jsonb)
      ON CONFLICT (event_key) DO NOTHING
      RETURNING id, type, vehicle_id, fleet_id, occurred_at, ST_Y(location), ST_X(location),
                details::text""";

  private static final String UPSERT_SUMMARY =
      """
      INSERT INTO vehicle_daily_summaries AS s (
          vehicle_id, day, fleet_id, time_zone, distance_m, driving_s, idle_s, max_speed_kmh,
          avg_speed_kmh, trip_count, harsh_braking_count, harsh_acceleration_count,
          harsh_cornering_count, sample_count, first_at, first_location, last_at, last_location,
          revision)
      VALUES (?, ?::date, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
              ST_SetSRID(ST_MakePoint(?, ?), 4326), ?, ST_SetSRID(ST_MakePoint(?, ?), 4326), ?)
      ON CONFLICT (vehicle_id, day) DO UPDATE SET
          fleet_id = EXCLUDED.fleet_id, time_zone = EXCLUDED.time_zone,
          distance_m = EXCLUDED.distance_m, driving_s = EXCLUDED.driving_s,
          idle_s = EXCLUDED.idle_s, max_speed_kmh = EXCLUDED.max_speed_kmh,
          avg_speed_kmh = EXCLUDED.avg_speed_kmh, trip_count = EXCLUDED.trip_count,
          harsh_braking_count = EXCLUDED.harsh_braking_count,
          harsh_acceleration_count = EXCLUDED.harsh_acceleration_count,
          harsh_cornering_count = EXCLUDED.harsh_cornering_count,
          sample_count = EXCLUDED.sample_count, first_at = EXCLUDED.first_at,
          first_location = EXCLUDED.first_location, last_at = EXCLUDED.last_at,
          last_location = EXCLUDED.last_location, revision = EXCLUDED.revision,
          updated_at = now()
      WHERE s.revision < EXCLUDED.revision""";

  private static final String UPSERT_STATUS =
      """
      INSERT INTO vehicle_status AS v (vehicle_id, fleet_id, online, online_changed_at,
                                       last_heard_at, idling, idling_since, revision)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (vehicle_id) DO UPDATE SET
          fleet_id = EXCLUDED.fleet_id, online = EXCLUDED.online,
          online_changed_at = EXCLUDED.online_changed_at, last_heard_at = EXCLUDED.last_heard_at,
          idling = EXCLUDED.idling, idling_since = EXCLUDED.idling_since,
          revision = EXCLUDED.revision, updated_at = now()
      WHERE v.revision < EXCLUDED.revision""";

  private final DataSource dataSource;

  FindingStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  List<VehicleEvent> store(
      Collection<DetectedEvent> events,
      Collection<DailySummary> summaries,
      Collection<VehicleStatus> statuses)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<VehicleEvent> inserted = insertEvents(c, events);
        upsertSummaries(c, summaries);
        upsertStatuses(c, statuses);
        c.commit();
        return inserted;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static List<VehicleEvent> insertEvents(Connection c, Collection<DetectedEvent> events)
      throws SQLException {
    List<VehicleEvent> inserted = new ArrayList<>();
    if (events.isEmpty()) {
      return inserted;
    }
    try (PreparedStatement s = c.prepareStatement(INSERT_EVENT)) {
      for (DetectedEvent e : events) {
        s.setString(1, e.key());
        s.setObject(2, e.fleetId());
        s.setObject(3, e.vehicleId());
        s.setString(4, e.type());
        s.setTimestamp(5, Timestamp.from(e.occurredAt()));
        s.setObject(6, e.longitude(), Types.DOUBLE);
        s.setObject(7, e.latitude(), Types.DOUBLE);
        s.setString(8, new String(FleetlineJson.write(e.details()), StandardCharsets.UTF_8));
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            inserted.add(read(rs));
          }
        }
      }
    }
    return inserted;
  }

  private static void upsertSummaries(Connection c, Collection<DailySummary> summaries)
      throws SQLException {
    if (summaries.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(UPSERT_SUMMARY)) {
      for (DailySummary d : summaries) {
        s.setObject(1, d.vehicleId());
        s.setString(2, d.day().toString());
        s.setObject(3, d.fleetId());
        s.setString(4, d.timeZone());
        s.setDouble(5, d.distanceM());
        s.setDouble(6, d.drivingS());
        s.setDouble(7, d.idleS());
        s.setObject(8, d.maxSpeedKmh(), Types.REAL);
        s.setObject(9, d.avgSpeedKmh(), Types.REAL);
        s.setInt(10, d.tripCount());
        s.setInt(11, d.harshBrakingCount());
        s.setInt(12, d.harshAccelerationCount());
        s.setInt(13, d.harshCorneringCount());
        s.setLong(14, d.sampleCount());
        s.setTimestamp(15, Timestamp.from(d.firstAt()));
        s.setDouble(16, d.firstLongitude());
        s.setDouble(17, d.firstLatitude());
        s.setTimestamp(18, Timestamp.from(d.lastAt()));
        s.setDouble(19, d.lastLongitude());
        s.setDouble(20, d.lastLatitude());
        s.setLong(21, d.revision());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void upsertStatuses(Connection c, Collection<VehicleStatus> statuses)
      throws SQLException {
    if (statuses.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(UPSERT_STATUS)) {
      for (VehicleStatus v : statuses) {
        s.setObject(1, v.vehicleId());
        s.setObject(2, v.fleetId());
        s.setBoolean(3, v.online());
        s.setTimestamp(4, Timestamp.from(v.onlineChangedAt()));
        s.setTimestamp(5, Timestamp.from(v.lastHeardAt()));
        s.setBoolean(6, v.idling());
        s.setTimestamp(7, v.idlingSince() == null ? null : Timestamp.from(v.idlingSince()));
        s.setLong(8, v.revision());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  @SuppressWarnings("unchecked")
  static VehicleEvent read(ResultSet rs) throws SQLException {
    return new VehicleEvent(
        VehicleEvent.CURRENT_VERSION,
        rs.getLong(1),
        rs.getString(2),
        rs.getObject(3, UUID.class),
        rs.getObject(4, UUID.class),
        rs.getTimestamp(5).toInstant(),
        rs.getObject(6, Double.class),
        rs.getObject(7, Double.class),
        FleetlineJson.read(rs.getString(8).getBytes(StandardCharsets.UTF_8), Map.class));
  }
}
