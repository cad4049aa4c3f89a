package io.fleetline.routing.position;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import io.fleetline.routing.trip.Sample;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Stores a batch of pings in one transaction. History goes in by one binary {@code COPY} straight
 * into {@code positions} (the batch's own duplicates dropped first); should a ping already be
 * stored (a redelivered batch), that {@code COPY} fails on the primary key and is rolled back to a
 * savepoint, and the batch goes the slower way: {@code COPY} into a staging table and one {@code
 * INSERT ... ON CONFLICT DO NOTHING}, so redelivered pings change nothing. Then the latest position
 * of each vehicle is upserted from the newest ping per vehicle, moved only by a newer {@code
 * recorded_at} (late pings never move a vehicle backwards). A fixed number of statements per batch,
 * whatever its size. Then, in the same transaction, every {@link HistoryFollower} updates what is
 * derived from the vehicles' new history (trips, stops, events), so a batch is stored entirely or
 * not at all. A failure of the history write is a {@link HistoryWriteFailure}; should it be a
 * partition dropped behind this instance's back, the batch's days are made again and the batch
 * written once more.
 */
@Component
public class PositionWriter {

  /** Rows shaped like the history's, for when they cannot go straight into it. */
  private static final String STAGING =
      "CREATE TEMP TABLE IF NOT EXISTS positions_staging (LIKE positions) ON COMMIT DELETE ROWS";

  private static final String COLUMNS =
      "vehicle_id, recorded_at, fleet_id, received_at, stored_at, location, speed_kmh, heading_deg,"
          + " altitude_m, accuracy_m, odometer_km, ignition, protocol, attributes";

  private static final String COPY_HISTORY =
      "COPY positions (" + COLUMNS + ") FROM STDIN (FORMAT binary)";

  private static final String COPY_STAGING =
      "COPY positions_staging (" + COLUMNS + ") FROM STDIN (FORMAT binary)";

  private static final String INSERT_HISTORY =
      "INSERT INTO positions ("
          + COLUMNS
          + ") SELECT "
          + COLUMNS
          + " FROM positions_staging ON CONFLICT DO NOTHING"
          + " RETURNING vehicle_id, fleet_id, recorded_at, ST_Y(location), ST_X(location), speed_kmh,"
          + " ignition";

  /**
   * Moves each staged vehicle's latest position to its newest staged ping where that is newer, and
   * returns the newest time stored for each before (one snapshot: the update is not seen).
   */
  private static final String UPSERT_LATEST =
      "WITH staged AS (SELECT DISTINCT ON (vehicle_id) "
          + COLUMNS
          + " FROM positions_staging ORDER BY vehicle_id, recorded_at DESC),"
          + " previous AS (SELECT l.vehicle_id, l.recorded_at FROM latest_positions l"
          + " JOIN staged USING (vehicle_id)),"
          + " upserted AS (INSERT INTO latest_positions ("
          + COLUMNS
          + ") SELECT "
          + COLUMNS
          + " FROM staged"
          + " ON CONFLICT (vehicle_id) DO UPDATE SET fleet_id = EXCLUDED.fleet_id,"
          + " recorded_at = EXCLUDED.recorded_at, received_at = EXCLUDED.received_at,"
          + " stored_at = EXCLUDED.stored_at, location = EXCLUDED.location,"
          + " speed_kmh = EXCLUDED.speed_kmh, heading_deg = EXCLUDED.heading_deg,"
          + " altitude_m = EXCLUDED.altitude_m, accuracy_m = EXCLUDED.accuracy_m,"
          + " odometer_km = EXCLUDED.odometer_km, ignition = EXCLUDED.ignition,"
          + " protocol = EXCLUDED.protocol, attributes = EXCLUDED.attributes"
          + " WHERE latest_positions.recorded_at < EXCLUDED.recorded_at)"
          + " SELECT vehicle_id, recorded_at FROM previous";

  private static final String UNIQUE_VIOLATION = "23505";

  /** A batch taking this long is logged with where its time went. */
  private static final long SLOW_BATCH_NANOS = 1_000_000_000L;

  private static final Logger log = LoggerFactory.getLogger(PositionWriter.class);

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
    return write(pings, List.of(), Map.of());
  }

  /**
   * Stores the batch holding a transaction lock on each of {@code owners} (the Kafka partitions it
   * came from): a consumer that lost its partitions in a rebalance but is still writing cannot
   * interleave its recomputation of the same vehicles with the new owner's.
   */
  public StoredBatch write(List<VehiclePing> pings, Collection<String> owners) throws SQLException {
    return write(pings, owners, Map.of());
  }

  /**
   * Stores the batch like {@link #write(List, Collection)}, locking every partition in {@code
   * ownerOf}, which names for each vehicle the Kafka partition its pings come from: followers may
   * remember what they derived for a vehicle as long as that partition stays with this consumer.
   */
  public StoredBatch write(List<VehiclePing> pings, Map<UUID, String> ownerOf) throws SQLException {
    return write(pings, new TreeSet<>(ownerOf.values()), ownerOf);
  }

  private StoredBatch write(
      List<VehiclePing> pings, Collection<String> owners, Map<UUID, String> ownerOf)
      throws SQLException {
    if (pings.isEmpty()) {
      return new StoredBatch(0, List.of());
    }
    Set<LocalDate> days = days(pings);
    try {
      return attempt(pings, days, owners, ownerOf);
    } catch (HistoryWriteFailure e) {
      if (!e.missingPartition()) {
        throw e;
      }
      // Another instance dropped or detached a partition this one remembered: forget the batch's
      // days, so they are made again, and write once more. A day past retention is made again
      // too: the listener dead-letters pings older than retention, so only one that expired
      // between that check and here lands in it, until the next maintenance round drops it.
      log.warn(
          "No history partition for a batch of {} pings of the UTC days {}: making them again",
          pings.size(),
          days);
      partitions.forget(days);
      return attempt(pings, days, owners, ownerOf);
    }
  }

  private StoredBatch attempt(
      List<VehiclePing> pings,
      Set<LocalDate> days,
      Collection<String> owners,
      Map<UUID, String> ownerOf)
      throws SQLException {
    long start = System.nanoTime();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      try {
        partitions.ensure(connection, days);
      } catch (SQLException e) {
        throw new HistoryWriteFailure(e);
      }
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        lock(connection, owners);
        long locked = System.nanoTime();
        Instant storedAt = transactionTime(statement);
        statement.execute(STAGING);
        Map<UUID, UUID> fleets = new HashMap<>();
        Map<UUID, List<Sample>> added = new HashMap<>();
        int inserted;
        try {
          List<VehiclePing> distinct = distinctKeys(pings);
          if (copyHistory(connection, distinct, storedAt)) {
            for (VehiclePing ping : distinct) {
              fleets.putIfAbsent(ping.vehicleId(), ping.fleetId());
              added.computeIfAbsent(ping.vehicleId(), v -> new ArrayList<>()).add(sample(ping));
            }
            inserted = distinct.size();
            copy(connection, COPY_STAGING, rows(newestOfEachVehicle(distinct), storedAt));
          } else {
            copy(connection, COPY_STAGING, rows(pings, storedAt));
            inserted = insertStaged(connection, fleets, added);
          }
        } catch (SQLException e) {
          throw new HistoryWriteFailure(e);
        }
        long historyDone = System.nanoTime();
        Map<UUID, Instant> previousLatest = upsertLatest(connection);
        long latestDone = System.nanoTime();
        Map<UUID, HistoryFollower.NewHistory> newHistory =
            newHistory(fleets, added, previousLatest, ownerOf);
        List<VehicleEvent> events = new ArrayList<>();
        List<Runnable> afterCommit = new ArrayList<>();
        if (!newHistory.isEmpty()) {
          for (HistoryFollower follower : followers) {
            HistoryFollower.Followed followed = follower.follow(connection, newHistory);
            events.addAll(followed.newEvents());
            afterCommit.add(followed.afterCommit());
          }
        }
        long derivedDone = System.nanoTime();
        fault.beforeCommit(pings);
        connection.commit();
        afterCommit.forEach(Runnable::run);
        long done = System.nanoTime();
        if (done - start >= SLOW_BATCH_NANOS) {
          log.info(
              "Slow batch: {} pings of {} vehicles in {} ms: connection, partitions and locks {},"
                  + " history {}, latest positions {}, trips, stops and events {}, commit {}",
              pings.size(),
              fleets.size(),
              millis(start, done),
              millis(start, locked),
              millis(locked, historyDone),
              millis(historyDone, latestDone),
              millis(latestDone, derivedDone),
              millis(derivedDone, done));
        }
        return new StoredBatch(inserted, events);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e instanceof SQLException sql ? sql : new SQLException("batch write failed", e);
      }
    }
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }

  /** The transaction's {@code now()}, which every row of the batch records as stored at. */
  private static Instant transactionTime(Statement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery("SELECT now()")) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }

  /**
   * Copies the history straight into {@code positions}; false, with nothing written, if one of the
   * pings is stored already.
   */
  private static boolean copyHistory(
      Connection connection, List<VehiclePing> distinct, Instant storedAt) throws SQLException {
    Savepoint beforeCopy = connection.setSavepoint();
    try {
      copy(connection, COPY_HISTORY, rows(distinct, storedAt));
      connection.releaseSavepoint(beforeCopy);
      return true;
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      connection.rollback(beforeCopy);
      return false;
    }
  }

  /** Inserts the staged pings not stored yet, collecting each vehicle's new rows as stored. */
  private static int insertStaged(
      Connection connection, Map<UUID, UUID> fleets, Map<UUID, List<Sample>> added)
      throws SQLException {
    int inserted = 0;
    try (PreparedStatement history = binary(connection.prepareStatement(INSERT_HISTORY));
        ResultSet rows = history.executeQuery()) {
      while (rows.next()) {
        inserted++;
        UUID vehicle = rows.getObject(1, UUID.class);
        fleets.putIfAbsent(vehicle, rows.getObject(2, UUID.class));
        added.computeIfAbsent(vehicle, v -> new ArrayList<>()).add(sample(rows, 3));
      }
    }
    return inserted;
  }

  private static void copy(Connection connection, String copy, byte[] rows) throws SQLException {
    try {
      connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(copy, new ByteArrayInputStream(rows));
    } catch (java.io.IOException e) {
      throw new SQLException("COPY failed", e);
    }
  }

  /** The first ping of each key: the batch's own duplicates would fail the {@code COPY}. */
  private static List<VehiclePing> distinctKeys(List<VehiclePing> pings) {
    record Key(UUID vehicle, long micros) {}
    Set<Key> seen = new HashSet<>(pings.size() * 2);
    List<VehiclePing> distinct = new ArrayList<>(pings.size());
    for (VehiclePing ping : pings) {
      if (seen.add(new Key(ping.vehicleId(), CopyRows.postgresMicros(ping.recordedAt())))) {
        distinct.add(ping);
      }
    }
    return distinct;
  }

  private static Collection<VehiclePing> newestOfEachVehicle(List<VehiclePing> distinct) {
    Map<UUID, VehiclePing> newest = new HashMap<>();
    for (VehiclePing ping : distinct) {
      newest.merge(
          ping.vehicleId(), ping, (a, b) -> b.recordedAt().isAfter(a.recordedAt()) ? b : a);
    }
    return newest.values();
  }

  /**
   * A history row as {@link #INSERT_HISTORY} would return it: the time at the microsecond stored,
   * the speed as the {@code real} stored.
   */
  private static Sample sample(VehiclePing ping) {
    Double speed = ping.speedKmh();
    return new Sample(
        CopyRows.fromPostgresMicros(CopyRows.postgresMicros(ping.recordedAt())),
        ping.latitude(),
        ping.longitude(),
        speed == null ? null : (double) speed.floatValue(),
        ping.ignition());
  }

  /**
   * The statement, told to fetch its rows in binary from its first use: reading thousands of
   * doubles and times from their text costs more than the rest of handling them.
   */
  public static PreparedStatement binary(PreparedStatement statement) throws SQLException {
    statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
    return statement;
  }

  /**
   * A stored history row read as a sample: {@code recorded_at}, latitude, longitude, {@code
   * speed_kmh}, {@code ignition} in five columns from {@code first} on (the speed widened from the
   * stored {@code real}). Every reader of samples from the database goes through here, so a sample
   * read back equals the one {@link #write} handed its followers.
   */
  public static Sample sample(ResultSet rs, int first) throws SQLException {
    float speed = rs.getFloat(first + 3);
    Double speedKmh = rs.wasNull() ? null : (double) speed;
    boolean ignition = rs.getBoolean(first + 4);
    Boolean ignitionOn = rs.wasNull() ? null : ignition;
    return new Sample(
        rs.getTimestamp(first).toInstant(),
        rs.getDouble(first + 1),
        rs.getDouble(first + 2),
        speedKmh,
        ignitionOn);
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

  /** Upserts the latest positions; returns the newest time stored before for each vehicle. */
  private static Map<UUID, Instant> upsertLatest(Connection connection) throws SQLException {
    Map<UUID, Instant> previousLatest = new HashMap<>();
    try (PreparedStatement s = binary(connection.prepareStatement(UPSERT_LATEST));
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        previousLatest.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant());
      }
    }
    return previousLatest;
  }

  /** Each vehicle's new rows in time order, with the newest time stored before this batch. */
  private static Map<UUID, HistoryFollower.NewHistory> newHistory(
      Map<UUID, UUID> fleets,
      Map<UUID, List<Sample>> added,
      Map<UUID, Instant> previousLatest,
      Map<UUID, String> ownerOf) {
    Map<UUID, HistoryFollower.NewHistory> newHistory = new HashMap<>();
    added.forEach(
        (vehicle, rows) -> {
          rows.sort(Comparator.comparing(Sample::recordedAt));
          newHistory.put(
              vehicle,
              new HistoryFollower.NewHistory(
                  fleets.get(vehicle),
                  rows.get(0).recordedAt(),
                  previousLatest.get(vehicle),
                  rows,
                  ownerOf.get(vehicle)));
        });
    return newHistory;
  }

  private static Set<LocalDate> days(List<VehiclePing> pings) {
    Set<LocalDate> days = new TreeSet<>();
    for (VehiclePing ping : pings) {
      days.add(LocalDate.ofInstant(ping.recordedAt(), ZoneOffset.UTC));
    }
    return days;
  }

  /** The pings as history rows, in the column order of {@link #COLUMNS}. */
  private static byte[] rows(Collection<VehiclePing> pings, Instant storedAt) {
    CopyRows rows = new CopyRows(pings.size());
    for (VehiclePing p : pings) {
      rows.row(14)
          .uuid(p.vehicleId())
          .timestamp(p.recordedAt())
          .uuid(p.fleetId())
          .timestamp(p.receivedAt())
          .timestamp(storedAt)
          .point(p.longitude(), p.latitude())
          .float4(p.speedKmh())
          .float4(p.headingDeg())
          .float4(p.altitudeM())
          .float4(p.accuracyM())
          .float8(p.odometerKm())
          .bool(p.ignition())
          .text(p.protocol())
          .jsonb(attributes(p));
    }
    return rows.toBytes();
  }

  private static String attributes(VehiclePing p) {
    return p.attributes().isEmpty()
        ? null
        : new String(FleetlineJson.write(p.attributes()), StandardCharsets.UTF_8);
  }
}
