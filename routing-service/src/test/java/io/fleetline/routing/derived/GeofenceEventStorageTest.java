package io.fleetline.routing.derived;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.position.BatchFault;
import io.fleetline.routing.trip.Track;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Geofences from the table, events stored once, and late pings marked as not live. */
class GeofenceEventStorageTest {

  static final UUID FLEET = UUID.randomUUID();
  static DerivedTables tables;

  @BeforeAll
  static void fleetWithGeofences() {
    tables = new DerivedTables(TestPostgis.newDatabase(), BatchFault.NONE);
    tables.execute("INSERT INTO fleets (id, name) VALUES ('" + FLEET + "', 'geo')");
    tables.execute(
        "INSERT INTO geofences (id, fleet_id, name, area, center, radius_m) VALUES"
            + " (gen_random_uuid(), '"
            + FLEET
            + "', 'depot', ST_Buffer(ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326)::geography,"
            + " 200)::geometry, ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326), 200)");
    tables.execute(
        "INSERT INTO geofences (id, fleet_id, name, area, speed_limit_kmh) VALUES"
            + " (gen_random_uuid(), '"
            + FLEET
            + "', 'school', ST_MakeEnvelope(13.405, 52.49, 13.42, 52.51, 4326), 30)");
    tables.geofences.refresh();
  }

  static List<VehiclePing> drive(UUID vehicle, Instant start) {
    return new Track(start, 52.5, 13.39, 9)
        .drive(Duration.ofMinutes(3), Duration.ofSeconds(10), 50, 90).samples().stream()
            .map(s -> Scenario.ping(FLEET, vehicle, s))
            .toList();
  }

  List<String> events(UUID vehicle) {
    return tables.rows(
        "SELECT type, details->>'geofenceName', details->>'live' FROM vehicle_events"
            + " WHERE vehicle_id = '"
            + vehicle
            + "' AND type <> 'trip_started' ORDER BY occurred_at, type");
  }

  @Test
  void drivingThroughACircleAndAPolygonStoresEachCrossingOnceEvenWhenRedelivered() {
    UUID vehicle = UUID.randomUUID();
    List<VehiclePing> pings =
        drive(vehicle, Instant.now().minusSeconds(200).truncatedTo(ChronoUnit.SECONDS));

    tables.write(pings.subList(0, 10));
    tables.write(pings);
    tables.write(pings.subList(5, 15));

    assertThat(events(vehicle))
        .containsExactly(
            "geofence_entered|depot|true|",
            "geofence_exited|depot|true|",
            "geofence_entered|school|true|",
            "overspeed|null|true|",
            "geofence_exited|school|true|");
  }

  @Test
  void eventsFirstSeenLongAfterTheyHappenedAreNotLive() {
    UUID vehicle = UUID.randomUUID();

    tables.write(drive(vehicle, Instant.parse("2026-11-20T10:00:00Z")));

    assertThat(events(vehicle)).isNotEmpty().allMatch(row -> row.endsWith("|false|"));
  }

  @Test
  void aChangedGeofenceIsPickedUpByTheNextRefresh() {
    tables.execute("UPDATE geofences SET dwell_s = 3600, updated_at = now() WHERE name = 'depot'");
    tables.geofences.refresh();
    UUID vehicle = UUID.randomUUID();

    tables.write(drive(vehicle, Instant.now().minusSeconds(200).truncatedTo(ChronoUnit.SECONDS)));

    assertThat(events(vehicle)).noneMatch(row -> row.contains("depot"));
    tables.execute("UPDATE geofences SET dwell_s = 0, updated_at = now() WHERE name = 'depot'");
    tables.geofences.refresh();
  }
}
