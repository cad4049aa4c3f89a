package io.fleetline.routing.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Partitions ahead, retention by whole partitions, and several instances at once. */
class PartitionMaintenanceTest {

  static final Clock NOW = Clock.fixed(Instant.parse("2026-06-15T12:00:00Z"), ZoneOffset.UTC);
  static final PartitionSettings SETTINGS =
      new PartitionSettings(7, Duration.ofDays(30), Duration.ofHours(1), Duration.ofDays(1));

  TestDatabase database;
  PGSimpleDataSource dataSource;

  @BeforeEach
  void database() {
    database = TestPostgis.newDatabase();
    dataSource = new PGSimpleDataSource();
    dataSource.setUrl(database.jdbcUrl());
    dataSource.setUser(database.username());
    dataSource.setPassword(database.password());
  }

  PartitionMaintenance instance() {
    return new PartitionMaintenance(dataSource, new PartitionManager(), SETTINGS, NOW);
  }

  List<String> partitions() throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'positions'::regclass ORDER BY 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Test
  void createsTheNextDaysAndDropsWholePartitionsPastRetention() throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute("SELECT fleetline_ensure_positions_partition(date '2026-05-01')");
      s.execute("SELECT fleetline_ensure_positions_partition(date '2026-05-16')");
    }

    assertThat(instance().run()).isTrue();

    assertThat(partitions())
        .containsExactly(
            "positions_20260516",
            "positions_20260615",
            "positions_20260616",
            "positions_20260617",
            "positions_20260618",
            "positions_20260619",
            "positions_20260620",
            "positions_20260621",
            "positions_20260622");
  }

  @Test
  void severalInstancesAtOnceNeitherFailNorDuplicate() throws Exception {
    var pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> rounds = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Callable<Boolean> round = () -> instance().run();
        rounds.add(pool.submit(round));
      }
      for (Future<Boolean> round : rounds) {
        round.get();
      }
    } finally {
      pool.shutdown();
    }

    assertThat(partitions()).hasSize(8).doesNotHaveDuplicates();
  }

  @Test
  void anInstanceSkipsTheRoundWhileAnotherHoldsTheLock() throws Exception {
    try (Connection other = database.connect();
        Statement s = other.createStatement()) {
      s.execute("SELECT pg_advisory_lock(hashtext('fleetline.positions.maintenance'))");

      assertThat(instance().run()).isFalse();
    }
    assertThat(instance().run()).isTrue();
  }
}
