package io.fleetline.routing.derived;

import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.routing.event.EventDetector;
import io.fleetline.routing.event.EventSettings;
import io.fleetline.routing.event.EventStore;
import io.fleetline.routing.geofence.GeofenceCache;
import io.fleetline.routing.position.BatchFault;
import io.fleetline.routing.position.PartitionFence;
import io.fleetline.routing.position.PositionWriter;
import io.fleetline.routing.position.StoredBatch;
import io.fleetline.routing.position.TestWriters;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripSettings;
import io.fleetline.routing.trip.TripStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The whole write path (history, latest, trips, stops, events) on one test database. */
final class DerivedTables {

  /** The Kafka partition that owned batches come from. */
  static final String PARTITION = "fleetline.pings-0";

  final TestDatabase database;
  final PositionWriter writer;
  final GeofenceCache geofences;
  final DerivedDataUpdater updater;
  final MeterRegistry meters = new SimpleMeterRegistry();
  private final PartitionFence fence;
  private final boolean owned;

  /**
   * Writes batches as the consumer of one partition does, so windows are kept in memory between
   * batches.
   */
  DerivedTables(TestDatabase database, BatchFault fault) {
    this(database, fault, true);
  }

  /**
   * @param owned whether batches come from a partition (windows kept in memory) or from nowhere
   *     (every window read from the database)
   */
  DerivedTables(TestDatabase database, BatchFault fault, boolean owned) {
    this(database, fault, owned, DerivedSettings.defaults());
  }

  /**
   * @param settings how many samples windows may hold, kept or read
   */
  DerivedTables(TestDatabase database, BatchFault fault, boolean owned, DerivedSettings settings) {
    this(database, fault, owned, settings, (kept, read) -> List.of(kept, read));
  }

  /**
   * Writes owned batches taking windows from the sources {@code sources} makes of the kept windows
   * and the windows read from the database, in the order it gives them.
   */
  DerivedTables(
      TestDatabase database,
      DerivedSettings settings,
      BiFunction<KeptWindows, DatabaseWindows, List<WindowSource>> sources) {
    this(database, BatchFault.NONE, true, settings, sources);
  }

  private DerivedTables(
      TestDatabase database,
      BatchFault fault,
      boolean owned,
      DerivedSettings settings,
      BiFunction<KeptWindows, DatabaseWindows, List<WindowSource>> sources) {
    this.database = database;
    this.owned = owned;
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(database.jdbcUrl());
    dataSource.setUser(database.username());
    dataSource.setPassword(database.password());
    geofences = new GeofenceCache(JdbcClient.create(dataSource));
    geofences.refresh();
    KeptWindows kept = new KeptWindows(settings, meters);
    updater =
        new DerivedDataUpdater(
            new TripDetector(TripSettings.defaults()),
            new EventDetector(EventSettings.defaults()),
            geofences,
            new TripStore(),
            new EventStore(EventSettings.defaults()),
            kept,
            sources.apply(kept, new DatabaseWindows(geofences, settings, meters)));
    fence = new PartitionFence(dataSource);
    writer = TestWriters.writer(dataSource, List.of(updater), fault, fence);
  }

  /**
   * Writes owned batches, as the consumer of one partition does, but reads every window from the
   * database: what detection gives without windows kept in memory, for the same history.
   */
  static DerivedTables readingEveryWindow(TestDatabase database) {
    return new DerivedTables(database, DerivedSettings.defaults(), (kept, read) -> List.of(read));
  }

  StoredBatch write(List<VehiclePing> batch) {
    try {
      Map<UUID, String> ownerOf = new HashMap<>();
      if (owned) {
        batch.forEach(p -> ownerOf.put(p.vehicleId(), PARTITION));
        // Each batch comes from the partition's current owner, whichever writer wrote before.
        TestWriters.claim(fence, PARTITION);
      }
      return writer.write(batch, ownerOf);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  List<String> trips() {
    return rows(
        "SELECT id, vehicle_id, fleet_id, started_at, ended_at, ST_AsText(start_location),"
            + " ST_AsText(end_location), distance_m, duration_s, max_speed_kmh, avg_speed_kmh,"
            + " ST_AsText(path), point_count, open FROM trips ORDER BY vehicle_id, started_at");
  }

  List<String> stops() {
    return rows(
        "SELECT id, vehicle_id, started_at, ended_at, ST_AsText(location), duration_s, open"
            + " FROM stops ORDER BY vehicle_id, started_at");
  }

  /**
   * Events by key, whether retracted, and retractions by the key of the event they retract: what
   * two databases given the same batches agree on, whatever feed positions (ids) each gave out.
   */
  List<String> events() {
    return rows(
        "SELECT "
            + STABLE_KEY
            + ", e.type, e.occurred_at, ST_AsText(e.location), e.retracted_by IS NOT NULL"
            + EVENTS_AND_RETRACTED
            + " ORDER BY 1, e.id");
  }

  /** Events with their details, each vehicle's in the order they were stored; ids left out. */
  List<String> eventFeed() {
    return rows(
        "SELECT "
            + STABLE_KEY
            + ", e.type, e.occurred_at, ST_AsText(e.location), e.details - 'retractedId',"
            + " e.retracted_by IS NOT NULL"
            + EVENTS_AND_RETRACTED
            + " ORDER BY e.vehicle_id, e.id");
  }

  /** An event's key as detected (a retracted event's is renamed), a retraction's by its event's. */
  private static final String STABLE_KEY =
      "CASE WHEN e.type = 'event_retracted' THEN 'event_retracted:' || split_part(r.event_key,"
          + " '#', 1) ELSE split_part(e.event_key, '#', 1) END";

  private static final String EVENTS_AND_RETRACTED =
      " FROM vehicle_events e LEFT JOIN vehicle_events r"
          + " ON r.id = (e.details->>'retractedId')::bigint";

  List<String> history() {
    return rows(
        "SELECT vehicle_id, recorded_at, ST_AsText(location), speed_kmh, ignition FROM positions"
            + " ORDER BY vehicle_id, recorded_at");
  }

  List<String> latest() {
    return rows("SELECT vehicle_id, recorded_at FROM latest_positions ORDER BY vehicle_id");
  }

  List<String> rows(String sql) {
    List<String> rows = new ArrayList<>();
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(rs.getString(i)).append('|');
        }
        rows.add(row.toString());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }

  void execute(String sql) {
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
