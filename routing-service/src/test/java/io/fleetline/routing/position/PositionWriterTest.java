package io.fleetline.routing.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Measurements;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.trip.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The batch write path against the real PostGIS, without Spring or Kafka. */
class PositionWriterTest {

  static TestDatabase database;
  static PositionWriter writer;
  static PGSimpleDataSource dataSource;
  static PartitionFence fence;

  @BeforeAll
  static void writer() {
    database = TestPostgis.newDatabase();
    dataSource = new PGSimpleDataSource();
    dataSource.setUrl(database.jdbcUrl());
    dataSource.setUser(database.username());
    dataSource.setPassword(database.password());
    fence = new PartitionFence(dataSource);
    writer =
        new PositionWriter(
            dataSource,
            new PartitionManager(),
            List.of(),
            BatchFault.NONE,
            fence,
            new SimpleMeterRegistry());
  }

  static VehiclePing ping(UUID vehicle, String recordedAt, double lat, double lon) {
    return ping(vehicle, recordedAt, lat, lon, 50.0);
  }

  static VehiclePing ping(UUID vehicle, String recordedAt, double lat, double lon, Double speed) {
    return new VehiclePing(
        1,
        vehicle,
        UUID.randomUUID(),
        UUID.randomUUID(),
        "http",
        Instant.parse(recordedAt),
        Instant.parse(recordedAt).plusSeconds(1),
        new Measurements(lat, lon, speed, 90.0, null, null, null, true),
        Map.of());
  }

  @Test
  void redeliveredPingsAreStoredOnce() throws Exception {
    UUID vehicle = UUID.randomUUID();
    List<VehiclePing> batch =
        List.of(
            ping(vehicle, "2026-11-26T08:00:00Z", 52.5, 13.4),
            ping(vehicle, "2026-11-26T08:00:01Z", 52.6, 13.5),
            ping(vehicle, "2026-11-26T08:00:01Z", 52.6, 13.5));

    int first = writer.write(batch, Map.of()).inserted();
    int again = writer.write(batch, Map.of()).inserted();

    assertThat(first).isEqualTo(2);
    assertThat(again).isZero();
    assertThat(count("SELECT count(*) FROM positions WHERE vehicle_id = '" + vehicle + "'"))
        .isEqualTo(2);
  }

  @Test
  void followersGetTheNewRowsAsStoredWhetherCopiedStraightOrMergedPastDuplicates()
      throws Exception {
    List<HistoryFollower.NewHistory> followed = new java.util.ArrayList<>();
    HistoryFollower recorder =
        (connection, newHistory) -> {
          followed.addAll(newHistory.values());
          return new HistoryFollower.Followed(List.of(), () -> {});
        };
    PositionWriter recording =
        new PositionWriter(
            dataSource,
            new PartitionManager(),
            List.of(recorder),
            BatchFault.NONE,
            new PartitionFence(dataSource),
            new SimpleMeterRegistry());
    UUID vehicle = UUID.randomUUID();
    // Sub-microsecond times and speeds a real cannot hold: followers must see what is stored.
    VehiclePing first = ping(vehicle, "2026-11-26T07:00:00.123456789Z", 52.5, 13.4, 50.3);
    VehiclePing second = ping(vehicle, "2026-11-26T07:00:10.0000005Z", 52.51, 13.41, null);

    int straight = recording.write(List.of(first, second, first), Map.of()).inserted();
    List<Sample> straightRows = followed.get(0).added();
    VehiclePing third = ping(vehicle, "2026-11-26T07:00:20Z", 52.52, 13.42, 33.3);
    VehiclePing secondChanged = ping(vehicle, "2026-11-26T07:00:10.0000005Z", 1.0, 1.0, 99.0);
    followed.clear();
    int merged = recording.write(List.of(secondChanged, third), Map.of()).inserted();

    assertThat(straight).isEqualTo(2);
    assertThat(merged).isEqualTo(1);
    List<Sample> stored = storedSamples(vehicle);
    assertThat(stored).hasSize(3);
    assertThat(straightRows).containsExactlyElementsOf(stored.subList(0, 2));
    assertThat(followed.get(0).added()).containsExactly(stored.get(2));
    assertThat(stored.get(1).latitude()).as("a stored ping is not overwritten").isEqualTo(52.51);
    assertThat(
            text(
                "SELECT (p.stored_at = l.stored_at)::text"
                    + " FROM positions p JOIN latest_positions l USING (vehicle_id)"
                    + " WHERE p.vehicle_id = '"
                    + vehicle
                    + "' AND p.recorded_at = l.recorded_at"))
        .as("history and latest position record the same time stored")
        .isEqualTo("true");
  }

  private static List<Sample> storedSamples(UUID vehicle) throws Exception {
    List<Sample> samples = new java.util.ArrayList<>();
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT recorded_at, ST_Y(location), ST_X(location), speed_kmh, ignition"
                    + " FROM positions WHERE vehicle_id = '"
                    + vehicle
                    + "' ORDER BY recorded_at")) {
      while (rs.next()) {
        samples.add(HistorySamples.read(rs, 1));
      }
    }
    return samples;
  }

  @Test
  void eachStepOfABatchIsTimedUnderItsPhaseUpToTheStepThatFailed() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    java.util.concurrent.atomic.AtomicBoolean failDerivation =
        new java.util.concurrent.atomic.AtomicBoolean();
    HistoryFollower failing =
        (connection, newHistory) -> {
          if (failDerivation.get()) {
            throw new IllegalStateException("derivation failed");
          }
          return new HistoryFollower.Followed(List.of(), () -> {});
        };
    PositionWriter timed =
        new PositionWriter(
            dataSource,
            new PartitionManager(),
            List.of(failing),
            BatchFault.NONE,
            new PartitionFence(dataSource),
            meters);

    timed.write(List.of(ping(UUID.randomUUID(), "2026-11-26T11:00:00Z", 52.5, 13.4)), Map.of());
    failDerivation.set(true);
    org.assertj.core.api.Assertions.catchThrowable(
        () ->
            timed.write(
                List.of(ping(UUID.randomUUID(), "2026-11-26T11:00:10Z", 52.5, 13.4)), Map.of()));

    assertThat(meters.find("fleetline.routing.write.duration").timers())
        .extracting(t -> t.getId().getTag("phase"), io.micrometer.core.instrument.Timer::count)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("connection", 2L),
            org.assertj.core.groups.Tuple.tuple("partitions", 2L),
            org.assertj.core.groups.Tuple.tuple("lock", 2L),
            org.assertj.core.groups.Tuple.tuple("history", 2L),
            org.assertj.core.groups.Tuple.tuple("latest", 2L),
            org.assertj.core.groups.Tuple.tuple("derived", 1L),
            org.assertj.core.groups.Tuple.tuple("fence", 1L),
            org.assertj.core.groups.Tuple.tuple("commit", 1L));
  }

  @Test
  void latePingDoesNotMoveVehicleBackwardsButLandsInHistory() throws Exception {
    UUID vehicle = UUID.randomUUID();
    writer.write(List.of(ping(vehicle, "2026-11-26T10:00:00Z", 48.1, 11.5)), Map.of());

    writer.write(List.of(ping(vehicle, "2026-11-20T10:00:00Z", 40.0, 3.0)), Map.of());

    assertThat(
            text(
                "SELECT recorded_at::text || ' ' || ST_Y(location) FROM latest_positions"
                    + " WHERE vehicle_id = '"
                    + vehicle
                    + "'"))
        .isEqualTo("2026-11-26 10:00:00+00 48.1");
    assertThat(
            text(
                "SELECT tableoid::regclass::text FROM positions WHERE vehicle_id = '"
                    + vehicle
                    + "' AND recorded_at = '2026-11-20T10:00:00Z'"))
        .isEqualTo("positions_20261120");
  }

  @Test
  void aNewerPingMovesTheLatestPositionAndTheNewestInABatchWins() throws Exception {
    UUID vehicle = UUID.randomUUID();
    writer.write(List.of(ping(vehicle, "2026-11-25T10:00:00Z", 1.0, 1.0)), Map.of());

    writer.write(
        List.of(
            ping(vehicle, "2026-11-25T10:00:09Z", 9.0, 9.0),
            ping(vehicle, "2026-11-25T10:00:05Z", 5.0, 5.0)),
        Map.of());

    assertThat(
            text(
                "SELECT ST_X(location)::text FROM latest_positions WHERE vehicle_id = '"
                    + vehicle
                    + "'"))
        .isEqualTo("9");
  }

  @Test
  void attributesWithQuotesCommasAndNewlinesSurviveTheCopy() throws Exception {
    UUID vehicle = UUID.randomUUID();
    VehiclePing p =
        new VehiclePing(
            1,
            vehicle,
            UUID.randomUUID(),
            UUID.randomUUID(),
            "osmand",
            Instant.parse("2026-11-24T10:00:00Z"),
            Instant.parse("2026-11-24T10:00:01Z"),
            new Measurements(52, 13, null, null, null, null, null, null),
            Map.of("note", "a \"quoted\", comma\nnewline", "n", 1));

    writer.write(List.of(p), Map.of());

    assertThat(
            text("SELECT attributes->>'note' FROM positions WHERE vehicle_id = '" + vehicle + "'"))
        .isEqualTo("a \"quoted\", comma\nnewline");
    assertThat(
            text(
                "SELECT coalesce(speed_kmh::text, 'null') FROM positions WHERE vehicle_id = '"
                    + vehicle
                    + "'"))
        .isEqualTo("null");
  }

  @Test
  void binaryTimesAreTheMicrosecondsTheTextFormWouldHaveStored() throws Exception {
    java.util.Random random = new java.util.Random(3);
    int n = 5_000;
    String[] text = new String[n];
    long[] expected = new long[n];
    for (int i = 0; i < n; i++) {
      // Every kind of fraction, with many exactly half a microsecond (ties) among them.
      int nanos =
          switch (i % 4) {
            case 0 -> random.nextInt(1_000_000_000);
            case 1 -> random.nextInt(1_000_000) * 1_000 + 500;
            case 2 -> random.nextInt(1_000) * 1_000_000;
            default -> 999_999_500 + random.nextInt(500);
          };
      Instant t = Instant.ofEpochSecond(1_600_000_000L + random.nextInt(400_000_000), nanos);
      text[i] = t.toString();
      expected[i] = CopyRows.postgresMicros(t);
    }
    try (Connection c = database.connect();
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "SELECT ((extract(epoch FROM t::timestamptz) - 946684800) * 1000000)::int8"
                    + " FROM unnest(?::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i")) {
      s.setArray(1, c.createArrayOf("text", text));
      try (ResultSet rs = s.executeQuery()) {
        for (int i = 0; i < n; i++) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).as(text[i]).isEqualTo(expected[i]);
        }
      }
    }
  }

  static long count(String sql) throws Exception {
    return Long.parseLong(text(sql));
  }

  static String text(String sql) throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as("a row for: " + sql).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void aBatchWaitsWhileAnotherWriterHoldsItsPartition() throws Exception {
    UUID vehicle = UUID.randomUUID();
    String countSql = "SELECT count(*) FROM positions WHERE vehicle_id = '" + vehicle + "'";
    fence.assigned(List.of("fleetline.pings-3"), "test");
    var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (Connection other = database.connect();
        Statement s = other.createStatement()) {
      other.setAutoCommit(false);
      s.execute("SELECT pg_advisory_xact_lock(hashtext('fleetline.routing.fleetline.pings-3'))");

      var write =
          pool.submit(
              () ->
                  writer.write(
                      List.of(ping(vehicle, "2026-11-26T07:00:00Z", 52.5, 13.4)),
                      Map.of(vehicle, "fleetline.pings-3")));
      org.awaitility.Awaitility.await()
          .during(java.time.Duration.ofSeconds(1))
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> !write.isDone() && count(countSql) == 0);
      other.commit();

      assertThat(write.get(30, java.util.concurrent.TimeUnit.SECONDS).inserted()).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
    assertThat(count(countSql)).isEqualTo(1);
  }

  @Test
  void aDataErrorWhileDerivingRetriesTheBatchButOneOfTheHistoryWriteIsARefusal() {
    HistoryFollower dividingByZero =
        (connection, newHistory) -> {
          try (Statement s = connection.createStatement()) {
            s.execute("SELECT 1 / 0"); // 22012, raised after the history is in
          }
          return new HistoryFollower.Followed(List.of(), () -> {});
        };
    PositionWriter deriving =
        new PositionWriter(
            dataSource,
            new PartitionManager(),
            List.of(dividingByZero),
            BatchFault.NONE,
            new PartitionFence(dataSource),
            new SimpleMeterRegistry());
    VehiclePing valid = ping(UUID.randomUUID(), "2026-11-26T09:00:00Z", 52.5, 13.4);
    VehiclePing nulInProtocol =
        new VehiclePing(
            1,
            UUID.randomUUID(),
            UUID.randomUUID(),
            null,
            "ht\u0000tp",
            Instant.parse("2026-11-26T09:00:00Z"),
            Instant.parse("2026-11-26T09:00:01Z"),
            new Measurements(52.5, 13.4, null, null, null, null, null, null),
            Map.of());

    var derivedFailure =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> deriving.write(List.of(valid), Map.of()));
    var historyFailure =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> writer.write(List.of(nulInProtocol), Map.of()));

    assertThat(derivedFailure).isInstanceOf(java.sql.SQLException.class);
    assertThat(((java.sql.SQLException) derivedFailure).getSQLState()).isEqualTo("22012");
    assertThat(Refusal.of(derivedFailure)).isNull();
    assertThat(historyFailure).isInstanceOf(HistoryWriteFailure.class);
    assertThat(Refusal.of(historyFailure)).isNotNull();
    assertThat(Refusal.of(historyFailure).sqlState()).isEqualTo("22021");
  }

  @Test
  void aPartitionDroppedBehindTheWritersBackIsMadeAgainAndTheBatchStored() throws Exception {
    UUID vehicle = UUID.randomUUID();
    PositionWriter own =
        new PositionWriter(
            dataSource,
            new PartitionManager(),
            List.of(),
            BatchFault.NONE,
            new PartitionFence(dataSource),
            new SimpleMeterRegistry());
    own.write(List.of(ping(vehicle, "2027-03-03T08:00:00Z", 52.5, 13.4)), Map.of());
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE positions DETACH PARTITION positions_20270303");
      s.execute("DROP TABLE positions_20270303");
    }

    int inserted =
        own.write(List.of(ping(vehicle, "2027-03-03T09:00:00Z", 52.5, 13.4)), Map.of()).inserted();

    assertThat(inserted).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM positions WHERE vehicle_id = '" + vehicle + "'"))
        .isEqualTo(1);
  }

  @Test
  void aTimeWithoutMicrosecondsInALongFailsRatherThanWraps() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CopyRows.postgresMicros(Instant.parse("+300000-01-01T00:00:00Z")))
        .isInstanceOf(ArithmeticException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CopyRows.postgresMicros(Instant.MIN))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void aBatchOfAPartitionClaimedByAnotherConsumerSinceRollsBackEntirely() throws Exception {
    PartitionFence zombieFence = new PartitionFence(dataSource);
    PositionWriter zombie =
        new PositionWriter(
            dataSource,
            new PartitionManager(),
            List.of(),
            BatchFault.NONE,
            zombieFence,
            new SimpleMeterRegistry());
    UUID vehicle = UUID.randomUUID();
    String partition = "fleetline.pings-" + vehicle;
    zombieFence.assigned(List.of(partition), "zombie");
    zombie.write(
        List.of(ping(vehicle, "2026-11-26T07:00:00Z", 52.5, 13.4)), Map.of(vehicle, partition));
    fence.assigned(List.of(partition), "new owner");

    Throwable refused =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                zombie.write(
                    List.of(ping(vehicle, "2026-11-26T07:05:00Z", 53.5, 14.4)),
                    Map.of(vehicle, partition)));

    assertThat(refused).isInstanceOf(PartitionFence.PartitionFenced.class);
    String where = " WHERE vehicle_id = '" + vehicle + "'";
    assertThat(count("SELECT count(*) FROM positions" + where)).isEqualTo(1);
    assertThat(text("SELECT recorded_at = '2026-11-26T07:00:00Z' FROM latest_positions" + where))
        .isEqualTo("t");
    assertThat(
            writer
                .write(
                    List.of(ping(vehicle, "2026-11-26T07:05:00Z", 53.5, 14.4)),
                    Map.of(vehicle, partition))
                .inserted())
        .isEqualTo(1);
  }
}
