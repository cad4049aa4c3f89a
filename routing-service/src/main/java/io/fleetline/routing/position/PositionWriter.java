package io.fleetline.routing.position;

import io.fleetline.common.Diagnostics;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import io.fleetline.routing.position.WritePhases.Phase;
import io.fleetline.routing.trip.Sample;
import io.micrometer.core.instrument.MeterRegistry;
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
 * written once more. Each step is timed ({@link WritePhases}).
 */
@Component
public class PositionWriter {

  /** Rows shaped like the history's, for when they cannot go straight into it. */
  private static final String STAGING =
      "CREATE TEMP TABLE IF NOT EXISTS positions_staging (LIKE positions) ON COMMIT DELETE ROWS";

  private static final String COLUMNS =
      "vehicle_id, recorded_at, fleet_id, received_at, stored_at, location, speed_kmh, heading_deg,"
          + " altitude_m, accuracy_m, odometer_km, ignition, protocol, attributes, diagnostics";

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
          + " protocol = EXCLUDED.protocol, attributes = EXCLUDED.attributes,"
          + " diagnostics = EXCLUDED.diagnostics"
          + " WHERE latest_positions.recorded_at < EXCLUDED.recorded_at)"
          + " SELECT vehicle_id, recorded_at FROM previous";

  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * Takes a transaction lock on each Kafka partition, in a fixed order, so two batches over
   * overlapping partitions cannot deadlock.
   */
  private static final String LOCK_OWNERS =
      "SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT"
          + " hashtext('fleetline.routing.' || k) AS h FROM unnest(?::text[]) k ORDER BY 1) o";

  /** A batch taking this long is logged with where its time went. */
  private static final long SLOW_BATCH_MILLIS = 1_000;

  private static final Logger log = LoggerFactory.getLogger(PositionWriter.class);

  private final DataSource dataSource;
  private final PartitionManager partitions;
  private final List<HistoryFollower> followers;
  private final BatchFault fault;
  private final PartitionFence fence;
  private final WritePhases phases;

  @Autowired
  PositionWriter(
      DataSource dataSource,
      PartitionManager partitions,
      List<HistoryFollower> followers,
      ObjectProvider<BatchFault> fault,
      PartitionFence fence,
      MeterRegistry meters) {
    this(
        dataSource,
        partitions,
        followers,
        fault.getIfAvailable(() -> BatchFault.NONE),
        fence,
        meters);
  }

  PositionWriter(
      DataSource dataSource,
      PartitionManager partitions,
      List<HistoryFollower> followers,
      BatchFault fault,
      PartitionFence fence,
      MeterRegistry meters) {
    this.dataSource = dataSource;
    this.partitions = partitions;
    this.followers = followers;
    this.fault = fault;
    this.fence = fence;
    this.phases = new WritePhases(meters);
  }

  /**
   * Stores the batch; when this returns, it is committed.
   *
   * @param ownerOf for each vehicle, the Kafka partition its pings come from; empty when they come
   *     from elsewhere. The batch holds a transaction lock on each of these partitions, so a
   *     consumer that lost them in a rebalance but is still writing cannot interleave its
   *     recomputation of the same vehicles with the new owner's; it commits only if this consumer
   *     still owns them ({@link PartitionFence}), so such a consumer cannot commit after the new
   *     owner either; and followers may remember what they derived for a vehicle for as long as its
   *     partition stays with this consumer.
   * @throws PartitionFence.PartitionFenced when another consumer owns one of the partitions now:
   *     nothing was committed
   */
  public StoredBatch write(List<VehiclePing> pings, Map<UUID, String> ownerOf) throws SQLException {
    if (pings.isEmpty()) {
      return new StoredBatch(0, List.of());
    }
    Set<LocalDate> days = days(pings);
    try {
      return attempt(pings, days, ownerOf);
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
      return attempt(pings, days, ownerOf);
    }
  }

  /** One attempt at the batch, step by step, each step timed. */
  private StoredBatch attempt(
      List<VehiclePing> pings, Set<LocalDate> days, Map<UUID, String> ownerOf) throws SQLException {
    WritePhases.Stopwatch watch = phases.start();
    try (Connection connection = dataSource.getConnection()) {
      watch.done(Phase.CONNECTION);
      ensurePartitions(connection, days);
      watch.done(Phase.PARTITIONS);
      connection.setAutoCommit(false);
      try {
        fault.beforeWrite(pings);
        lockOwners(connection, ownerOf.values());
        watch.done(Phase.LOCK);
        NewRows rows = writeHistory(connection, pings);
        watch.done(Phase.HISTORY);
        Map<UUID, Instant> previousLatest = upsertLatest(connection);
        watch.done(Phase.LATEST);
        Derived derived = follow(connection, rows.newHistory(previousLatest, ownerOf));
        watch.done(Phase.DERIVED);
        fault.beforeCommit(pings);
        fence.check(connection, ownerOf.values());
        watch.done(Phase.FENCE);
        commit(connection, derived);
        watch.done(Phase.COMMIT);
        if (watch.elapsedMillis() >= SLOW_BATCH_MILLIS) {
          log.info(
              "Slow batch: {} pings of {} vehicles in {} ms: {}",
              pings.size(),
              rows.vehicles(),
              watch.elapsedMillis(),
              watch.breakdown());
        }
        return new StoredBatch(rows.inserted(), derived.events());
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e instanceof SQLException sql ? sql : new SQLException("batch write failed", e);
      }
    }
  }

  /** Makes the batch's daily partitions, each in a transaction of its own. */
  private void ensurePartitions(Connection connection, Set<LocalDate> days) throws SQLException {
    connection.setAutoCommit(true);
    try {
      partitions.ensure(connection, days);
    } catch (SQLException e) {
      throw new HistoryWriteFailure(e);
    }
  }

  private static void lockOwners(Connection connection, Collection<String> owners)
      throws SQLException {
    if (owners.isEmpty()) {
      return;
    }
    try (PreparedStatement s = connection.prepareStatement(LOCK_OWNERS)) {
      s.setArray(1, connection.createArrayOf("text", new TreeSet<>(owners).toArray()));
      s.execute();
    }
  }

  /**
   * Stores the pings in {@code positions}, straight or, should one be stored already, past the
   * stored ones; leaves the newest of each vehicle staged for its latest position.
   */
  private static NewRows writeHistory(Connection connection, List<VehiclePing> pings)
      throws SQLException {
    Instant storedAt;
    try (Statement statement = connection.createStatement()) {
      storedAt = transactionTime(statement);
      statement.execute(STAGING);
    }
    try {
      List<VehiclePing> distinct = distinctKeys(pings);
      if (copyHistory(connection, distinct, storedAt)) {
        copy(connection, COPY_STAGING, rows(newestOfEachVehicle(distinct), storedAt));
        return NewRows.of(distinct);
      }
      copy(connection, COPY_STAGING, rows(pings, storedAt));
      return insertStaged(connection);
    } catch (SQLException e) {
      throw new HistoryWriteFailure(e);
    }
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

  /** Inserts the staged pings not stored yet, and returns them as stored. */
  private static NewRows insertStaged(Connection connection) throws SQLException {
    NewRows rows = new NewRows();
    try (PreparedStatement history = HistorySamples.prepareBinary(connection, INSERT_HISTORY);
        ResultSet inserted = history.executeQuery()) {
      while (inserted.next()) {
        rows.add(
            inserted.getObject(1, UUID.class),
            inserted.getObject(2, UUID.class),
            HistorySamples.read(inserted, 3),
            true);
      }
    }
    return rows;
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

  /** Upserts the latest positions; returns the newest time stored before for each vehicle. */
  private static Map<UUID, Instant> upsertLatest(Connection connection) throws SQLException {
    Map<UUID, Instant> previousLatest = new HashMap<>();
    try (PreparedStatement s = HistorySamples.prepareBinary(connection, UPSERT_LATEST);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        previousLatest.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant());
      }
    }
    return previousLatest;
  }

  /** What the followers derived from the new history, inside the batch's transaction. */
  private Derived follow(Connection connection, Map<UUID, HistoryFollower.NewHistory> newHistory)
      throws SQLException {
    Derived derived = new Derived(new ArrayList<>(), new ArrayList<>());
    if (newHistory.isEmpty()) {
      return derived;
    }
    for (HistoryFollower follower : followers) {
      HistoryFollower.Followed followed = follower.follow(connection, newHistory);
      derived.events().addAll(followed.newEvents());
      derived.afterCommit().add(followed.afterCommit());
    }
    return derived;
  }

  private static void commit(Connection connection, Derived derived) throws SQLException {
    connection.commit();
    derived.afterCommit().forEach(Runnable::run);
  }

  /** The events followers stored for the first time, and what they do once committed. */
  private record Derived(List<VehicleEvent> events, List<Runnable> afterCommit) {}

  /** The rows a batch added to the history, by vehicle, as stored. */
  private static final class NewRows {

    private final Map<UUID, UUID> fleets = new HashMap<>();
    private final Map<UUID, List<Sample>> added = new HashMap<>();
    private final Set<UUID> withDiagnostics = new HashSet<>();
    private int inserted;

    static NewRows of(List<VehiclePing> stored) {
      NewRows rows = new NewRows();
      for (VehiclePing ping : stored) {
        rows.add(
            ping.vehicleId(),
            ping.fleetId(),
            HistorySamples.of(ping),
            ping.measurements().diagnostics() != null);
      }
      return rows;
    }

    /**
     * One new history row; {@code diagnostics} says whether it may carry diagnostics (when not
     * known, say true: it only spares the diagnostics follower a read when false).
     */
    void add(UUID vehicle, UUID fleet, Sample sample, boolean diagnostics) {
      inserted++;
      if (diagnostics) {
        withDiagnostics.add(vehicle);
      }
      fleets.putIfAbsent(vehicle, fleet);
      added.computeIfAbsent(vehicle, v -> new ArrayList<>()).add(sample);
    }

    int inserted() {
      return inserted;
    }

    int vehicles() {
      return fleets.size();
    }

    /** Each vehicle's new rows in time order, with the newest time stored before this batch. */
    Map<UUID, HistoryFollower.NewHistory> newHistory(
        Map<UUID, Instant> previousLatest, Map<UUID, String> ownerOf) {
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
                    ownerOf.get(vehicle),
                    withDiagnostics.contains(vehicle)));
          });
      return newHistory;
    }
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
      rows.row(15)
          .uuid(p.vehicleId())
          .timestamp(p.recordedAt())
          .uuid(p.fleetId())
          .timestamp(p.receivedAt())
          .timestamp(storedAt)
          .point(p.measurements().longitude(), p.measurements().latitude())
          .float4(p.measurements().speedKmh())
          .float4(p.measurements().headingDeg())
          .float4(p.measurements().altitudeM())
          .float4(p.measurements().accuracyM())
          .float8(p.measurements().odometerKm())
          .bool(p.measurements().ignition())
          .text(p.protocol())
          .jsonb(attributes(p))
          .jsonb(diagnostics(p));
    }
    return rows.toBytes();
  }

  private static String attributes(VehiclePing p) {
    return p.attributes().isEmpty()
        ? null
        : new String(FleetlineJson.write(p.attributes()), StandardCharsets.UTF_8);
  }

  /** Null for the many pings without diagnostics: a null field costs a COPY row four bytes. */
  private static String diagnostics(VehiclePing p) {
    Diagnostics diagnostics = p.measurements().diagnostics();
    return diagnostics == null
        ? null
        : new String(FleetlineJson.write(diagnostics), StandardCharsets.UTF_8);
  }
}
