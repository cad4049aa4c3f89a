package io.fleetline.routing.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Diagnostics;
import io.fleetline.common.Measurements;
import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.event.EventSettings;
import io.fleetline.routing.event.EventStore;
import io.fleetline.routing.position.BatchFault;
import io.fleetline.routing.position.PositionWriter;
import io.fleetline.routing.position.TestWriters;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Diagnostics stored with the history and their events raised once, on the real PostGIS. */
class DiagnosticsEventsIntegrationTest {

  static final UUID FLEET = UUID.randomUUID();
  static PGSimpleDataSource dataSource;
  static PositionWriter writer;

  @BeforeAll
  static void writerWithDiagnosticsEvents() {
    TestDatabase database = TestPostgis.newDatabase();
    dataSource = new PGSimpleDataSource();
    dataSource.setUrl(database.jdbcUrl());
    dataSource.setUser(database.username());
    dataSource.setPassword(database.password());
    DiagnosticsFollower follower =
        new DiagnosticsFollower(
            DiagnosticsSettings.defaults(), new EventStore(EventSettings.defaults()));
    writer = TestWriters.writer(dataSource, List.of(follower), BatchFault.NONE);
  }

  static VehiclePing ping(UUID vehicle, Instant at, Diagnostics diagnostics) {
    return new VehiclePing(
        VehiclePing.CURRENT_VERSION,
        vehicle,
        FLEET,
        UUID.randomUUID(),
        "teltonika",
        at,
        at.plusSeconds(1),
        new Measurements(52.5, 13.4, 0.0, 90.0, null, null, null, false, diagnostics),
        Map.of());
  }

  static Diagnostics volts(double externalVoltageV) {
    return new Diagnostics(externalVoltageV, null, null, null, null, null, null, null, null);
  }

  static List<VehicleEvent> write(List<VehiclePing> pings) throws Exception {
    return writer.write(pings, Map.of()).newEvents();
  }

  static List<String> rows(String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  static List<String> events(UUID vehicle) throws Exception {
    return rows(
        "SELECT type || '|' || extract(epoch FROM occurred_at)::bigint || '|' || (details->>'live')"
            + " FROM vehicle_events"
            + " WHERE vehicle_id = '"
            + vehicle
            + "' ORDER BY occurred_at, type");
  }

  @Test
  void diagnosticsAreStoredInHistoryAndLatestPositionAndAbsentOnesStayNull() throws Exception {
    UUID vehicle = UUID.randomUUID();
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    Diagnostics full =
        new Diagnostics(12.6, 4.1, 0.25, 80.0, true, false, 4, 55.0, List.of("P0301"));

    write(List.of(ping(vehicle, t, null), ping(vehicle, t.plusSeconds(10), full)));

    assertThat(
            rows(
                "SELECT coalesce(diagnostics::text, 'none') FROM positions WHERE vehicle_id = '"
                    + vehicle
                    + "' ORDER BY recorded_at"))
        .containsExactly(
            "none",
            "{\"moving\": false, \"charging\": true, \"gsmSignal\": 4, \"faultCodes\": [\"P0301\"],"
                + " \"fuelLevelPct\": 55.0, \"batteryCurrentA\": 0.25, \"batteryLevelPct\": 80.0,"
                + " \"batteryVoltageV\": 4.1, \"externalVoltageV\": 12.6}");
    assertThat(
            rows(
                "SELECT diagnostics->>'externalVoltageV' FROM latest_positions WHERE vehicle_id"
                    + " = '"
                    + vehicle
                    + "'"))
        .containsExactly("12.6");
  }

  @Test
  void aVoltageHoveringAtTheThresholdRaisesOneBatteryLowEvenWhenRedelivered() throws Exception {
    UUID vehicle = UUID.randomUUID();
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
    List<VehiclePing> pings = new ArrayList<>();
    double[] volts = {12.6, 11.4, 11.6, 11.45, 11.55, 11.4};
    for (int i = 0; i < volts.length; i++) {
      pings.add(ping(vehicle, t.plusSeconds(10L * i), volts(volts[i])));
    }

    List<VehicleEvent> published = write(pings.subList(0, 3));
    List<VehicleEvent> afterMore = write(pings);
    List<VehicleEvent> redelivered = write(pings);

    assertThat(published).extracting(VehicleEvent::type).containsExactly("battery_low");
    assertThat(afterMore).isEmpty();
    assertThat(redelivered).isEmpty();
    assertThat(events(vehicle)).hasSize(1).allMatch(e -> e.startsWith("battery_low|"));
  }

  @Test
  void aLatePingIsJudgedAgainstTheHistoryAroundItAndOldEventsAreNotLive() throws Exception {
    UUID vehicle = UUID.randomUUID();
    Instant t = Instant.parse("2026-11-20T10:00:00Z");
    write(
        List.of(
            ping(vehicle, t, volts(12.5)),
            ping(vehicle, t.plusSeconds(20), volts(12.4)),
            ping(vehicle, t.plusSeconds(30), volts(12.5))));

    List<VehicleEvent> late = write(List.of(ping(vehicle, t.plusSeconds(10), volts(0.0))));
    List<VehicleEvent> again = write(List.of(ping(vehicle, t.plusSeconds(10), volts(0.0))));

    assertThat(late).extracting(VehicleEvent::type).containsExactly("power_cut");
    assertThat(late.get(0).details()).containsEntry("live", false);
    assertThat(again).isEmpty();
    assertThat(events(vehicle))
        .containsExactly("power_cut|" + t.plusSeconds(10).getEpochSecond() + "|false");
  }

  @Test
  void aNewFaultCodeAndAFuelDropWhileParkedAreRaisedWithTheirDetails() throws Exception {
    UUID vehicle = UUID.randomUUID();
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
    Diagnostics full = new Diagnostics(null, null, null, null, null, null, null, 60.0, null);
    Diagnostics drained =
        new Diagnostics(null, null, null, null, null, null, null, 42.0, List.of("P0087"));

    List<VehicleEvent> published =
        write(List.of(ping(vehicle, t, full), ping(vehicle, t.plusSeconds(60), drained)));

    assertThat(published)
        .extracting(VehicleEvent::type)
        .containsExactlyInAnyOrder("fault_code", "fuel_drop");
    assertThat(published)
        .filteredOn(e -> e.type().equals("fuel_drop"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.details())
                    .containsEntry("fuelLevelPct", 42.0)
                    .containsEntry("previousFuelLevelPct", 60.0)
                    .containsEntry("live", true));
  }
}
