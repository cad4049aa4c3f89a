package io.fleetline.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The fleets' zones as read from the real PostGIS, also while it does not answer. */
class FleetTimeZonesTest {

  final TestDatabase database = TestPostgis.newDatabase();
  final JdbcClient jdbc =
      JdbcClient.create(
          new DriverManagerDataSource(
              database.jdbcUrl(), database.username(), database.password()));
  final FleetTimeZones zones = new FleetTimeZones(jdbc);

  @Test
  void zoneNotReadableIsUnknownAndNotRememberedAsUtc() {
    UUID fleet = UUID.randomUUID();
    jdbc.sql("INSERT INTO fleets (id, name, time_zone) VALUES (?, 'Berlin', 'Europe/Berlin')")
        .params(fleet)
        .update();
    jdbc.sql("ALTER TABLE fleets RENAME TO fleets_away").update();

    assertThat(zones.zoneOf(fleet)).isNull();

    jdbc.sql("ALTER TABLE fleets_away RENAME TO fleets").update();
    assertThat(zones.zoneOf(fleet)).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void fleetThatIsNotThereCountsInUtc() {
    assertThat(zones.zoneOf(UUID.randomUUID())).isEqualTo(ZoneOffset.UTC);
  }
}
