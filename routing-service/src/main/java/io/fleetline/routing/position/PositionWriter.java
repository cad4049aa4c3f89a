package io.fleetline.routing.position;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Stores a batch of pings in one transaction: history by {@code COPY} into a staging table and one
 * {@code INSERT ... ON CONFLICT DO NOTHING} (redelivered pings change nothing), then the latest
 * position of each vehicle, moved only by a newer {@code recorded_at} (late pings never move a
 * vehicle backwards). Three statements per batch, whatever its size. Then, in the same transaction,
 * every {@link HistoryFollower} updates what is derived from the vehicles' new history (trips,
 * stops, events), so a batch is stored entirely or not at all.
 */
@Component
public class PositionWriter {

  private static final String STAGING =
      """
      CREATE TEMP TABLE IF NOT EXISTS positions_staging (
          vehicle_id uuid, recorded_at timestamptz, fleet_id uuid, received_at timestamptz,
          latitude double precision, longitude double precision, speed_kmh real, heading_deg real,
          altitude_m real, accuracy_m real, odometer_km double precision, ignition boolean,
          protocol text, attributes jsonb
      ) ON COMMIT DELETE ROWS""";

  private static final String COPY = "COPY positions_staging FROM STDIN (FORMAT csv)";

  private static final String COLUMNS =
      "vehicle_id, recorded_at, fleet_id, received_at, stored_at, location, speed_kmh, heading_deg,"
          + " altitude_m, accuracy_m, odometer_km, ignition, protocol, attributes";

  private static final String SELECT_STAGED =
      "vehicle_id, recorded_at, fleet_id, received_at, now(),"
          + " ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), speed_kmh, heading_deg,"
          + " altitude_m, accuracy_m, odometer_km, ignition, protocol, attributes";

  private static final String INSERT_HISTORY =
      "INSERT INTO positions ("
          + COLUMNS
          + ") SELECT "
          + SELECT_STAGED
          + " FROM positions_staging ON CONFLICT DO NOTHING RETURNING vehicle_id, fleet_id, recorded_at";

  private static final String UPSERT_LATEST =
      "INSERT INTO latest_positions ("
          + COLUMNS
          + ") SELECT DISTINCT ON (vehicle_id) "
          + SELECT_STAGED
          + " FROM positions_staging ORDER BY vehicle_id, recorded_at DESC"
          + " ON CONFLICT (vehicle_id) DO UPDATE SET fleet_id = EXCLUDED.fleet_id,"
          + " recorded_at = EXCLUDED.recorded_at, received_at = EXCLUDED.received_at,"
          + " stored_at = EXCLUDED.stored_at, location = EXCLUDED.location,"
          + " speed_kmh = EXCLUDED.speed_kmh, heading_deg = EXCLUDED.heading_deg,"
          + " altitude_m = EXCLUDED.altitude_m, accuracy_m = EXCLUDED.accuracy_m,"
          + " odometer_km = EXCLUDED.odometer_km, ignition = EXCLUDED.ignition,"
          + " protocol = EXCLUDED.protocol, attributes = EXCLUDED.attributes"
          + " WHERE latest_positions.recorded_at < EXCLUDED.recorded_at";

  private final DataSource dataSource;
  private final PartitionManager partitions;
  private final List<HistoryFollower> followers;
  private final BatchFault fault;

  @Autowired
  PositionWriter(
      DataSource dataSource,
      PartitionManager partitions,
      List<HistoryFollower> followers,
      ObjectProvider<BatchFault> fault) {
    this(dataSource, partitions, followers, fault.getIfAvailable(() -> BatchFault.NONE));
  }

  PositionWriter(
      DataSource dataSource,
      PartitionManager partitions,
      List<HistoryFollower> followers,
      BatchFault fault) {
    this.dataSource = dataSource;
    this.partitions = partitions;
    this.followers = followers;
    this.fault = fault;
  }

  /** Stores the batch; when this returns, it is committed. */
  public StoredBatch write(List<VehiclePing> pings) throws SQLException {
    return write(pings, List.of());
  }

  /**
   * Stores the batch holding a transaction lock on each of {@code owners} (the Kafka partitions it
   * came from): a consumer that lost its partitions in a rebalance but is still writing cannot
   * interleave its recomputation of the same vehicles with the new owner's.
   */
  public StoredBatch write(List<VehiclePing> pings, java.util.Collection<String> owners)
      throws SQLException {
    if (pings.isEmpty()) {
      return new StoredBatch(0, List.of());
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      partitions.ensure(connection, days(pings));
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        lock(connection, owners);
        statement.execute(STAGING);
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(COPY, new StringReader(csv(pings)));
        Map<UUID, HistoryFollower.NewHistory> newHistory = new HashMap<>();
        int inserted = 0;
        try (ResultSet rows = statement.executeQuery(INSERT_HISTORY)) {
          while (rows.next()) {
            inserted++;
            UUID vehicle = rows.getObject(1, UUID.class);
            Instant recordedAt = rows.getTimestamp(3).toInstant();
            HistoryFollower.NewHistory known = newHistory.get(vehicle);
            if (known == null || recordedAt.isBefore(known.earliest())) {
              newHistory.put(
                  vehicle,
                  new HistoryFollower.NewHistory(rows.getObject(2, UUID.class), recordedAt, null));
            }
          }
        }
        withPreviousLatest(connection, newHistory);
        statement.executeUpdate(UPSERT_LATEST);
        List<VehicleEvent> events = new ArrayList<>();
        if (!newHistory.isEmpty()) {
          for (HistoryFollower follower : followers) {
            events.addAll(follower.follow(connection, newHistory));
          }
        }
        fault.beforeCommit(pings);
        connection.commit();
        return new StoredBatch(inserted, events);
      } catch (SQLException | java.io.IOException | RuntimeException e) {
        connection.rollback();
        throw e instanceof SQLException sql ? sql : new SQLException("batch write failed", e);
      }
    }
  }

  private static void lock(Connection connection, java.util.Collection<String> owners)
      throws SQLException {
    if (owners.isEmpty()) {
      return;
    }
    // Taken in a fixed order, so two batches over overlapping partitions cannot deadlock.
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT"
                + " hashtext('fleetline.routing.' || k) AS h FROM unnest(?::text[]) k ORDER BY 1) o")) {
      s.setArray(1, connection.createArrayOf("text", owners.toArray()));
      s.execute();
    }
  }

  /** Adds what each vehicle's newest stored time was before this batch moves it. */
  private static void withPreviousLatest(
      Connection connection, Map<UUID, HistoryFollower.NewHistory> newHistory) throws SQLException {
    if (newHistory.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT vehicle_id, recorded_at FROM latest_positions WHERE vehicle_id = ANY (?)")) {
      s.setArray(1, connection.createArrayOf("uuid", newHistory.keySet().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          UUID vehicle = rs.getObject(1, UUID.class);
          HistoryFollower.NewHistory known = newHistory.get(vehicle);
          newHistory.put(
              vehicle,
              new HistoryFollower.NewHistory(
                  known.fleetId(), known.earliest(), rs.getTimestamp(2).toInstant()));
        }
      }
    }
  }

  private static Set<LocalDate> days(List<VehiclePing> pings) {
    Set<LocalDate> days = new TreeSet<>();
    for (VehiclePing ping : pings) {
      days.add(LocalDate.ofInstant(ping.recordedAt(), ZoneOffset.UTC));
    }
    return days;
  }

  private static String csv(List<VehiclePing> pings) {
    CopyRows rows = new CopyRows(pings.size());
    for (VehiclePing p : pings) {
      rows.field(p.vehicleId())
          .field(p.recordedAt())
          .field(p.fleetId())
          .field(p.receivedAt())
          .field(p.latitude())
          .field(p.longitude())
          .field(p.speedKmh())
          .field(p.headingDeg())
          .field(p.altitudeM())
          .field(p.accuracyM())
          .field(p.odometerKm())
          .field(p.ignition())
          .text(p.protocol())
          .text(
              p.attributes().isEmpty()
                  ? null
                  : new String(FleetlineJson.write(p.attributes()), StandardCharsets.UTF_8))
          .endRow();
    }
    return rows.toString();
  }
}
