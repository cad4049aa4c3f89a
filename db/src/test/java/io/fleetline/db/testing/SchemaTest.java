package io.fleetline.db.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaTest {

  static TestDatabase database;

  @BeforeAll
  static void database() {
    database = TestPostgis.newDatabase();
  }

  @Test
  void postgisIsInstalledAndTheSchemaIsMigrated() throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT postgis_lib_version(), (SELECT count(*) FROM flyway_schema_history"
                    + " WHERE success)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("3.");
      assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void positionsGoIntoTheDailyPartitionCreatedOnDemandAndDuplicatesAreRejectedByKey()
      throws Exception {
    UUID vehicle = UUID.randomUUID();
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute("SELECT fleetline_ensure_positions_partition(date '2026-11-26')");
      s.execute("SELECT fleetline_ensure_positions_partition(date '2026-11-26')");
      String insert =
          "INSERT INTO positions (vehicle_id, recorded_at, fleet_id, received_at, stored_at,"
              + " location, protocol) VALUES ('"
              + vehicle
              + "', '2026-11-26T23:59:59.999Z', gen_random_uuid(), now(), now(),"
              + " ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326), 'http') ON CONFLICT DO NOTHING";
      assertThat(s.executeUpdate(insert)).isEqualTo(1);
      assertThat(s.executeUpdate(insert)).isZero();
      try (ResultSet rs = s.executeQuery("SELECT tableoid::regclass::text FROM positions")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("positions_20261126");
      }
    }
  }

  @Test
  void eachTestDatabaseIsSeparate() throws Exception {
    TestDatabase other = TestPostgis.newDatabase();
    try (Connection c = other.connect();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO fleets (id, name) VALUES (gen_random_uuid(), 'only here')");
    }
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM fleets WHERE name = 'only here'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }
}
