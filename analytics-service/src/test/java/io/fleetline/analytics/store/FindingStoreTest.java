package io.fleetline.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.analytics.stream.DailySummary;
import io.fleetline.analytics.stream.DetectedEvent;
import io.fleetline.analytics.stream.VehicleStatus;
import io.fleetline.common.VehicleEvent;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The store on the real PostGIS: findings delivered again, or out of order, change nothing. */
class FindingStoreTest {

  static final TestDatabase database = TestPostgis.newDatabase();
  static final DriverManagerDataSource dataSource =
      new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password());

  final FindingStore store = new FindingStore(dataSource);
  final JdbcClient jdbc = JdbcClient.create(dataSource);
  final UUID fleet = UUID.randomUUID();
  final UUID vehicle = UUID.randomUUID();
  final Instant at = Instant.parse("2026-12-03T08:00:00Z");

  @Test
  void redeliveredEventIsStoredOnceAndOnlyTheFirstDeliveryIsReturnedForPublishing()
      throws Exception {
    DetectedEvent event =
        new DetectedEvent(
            "harsh_braking:" + vehicle + ":" + at,
            VehicleEvent.HARSH_BRAKING,
            vehicle,
            fleet,
            at,
            52.5,
            13.4,
            Map.of("peakMps2", 4.44, "live", true));

    List<VehicleEvent> first = store.store(List.of(event), List.of(), List.of());
    List<VehicleEvent> again = store.store(List.of(event), List.of(), List.of());

    assertThat(first)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(VehicleEvent.HARSH_BRAKING);
              assertThat(e.occurredAt()).isEqualTo(at);
              assertThat(e.latitude()).isEqualTo(52.5);
              assertThat(e.details()).containsEntry("live", true);
            });
    assertThat(again).isEmpty();
    assertThat(
            jdbc.sql("SELECT count(*) FROM vehicle_events WHERE vehicle_id = ?")
                .param(vehicle)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void anOlderRevisionOfASummaryOrStatusNeverReplacesANewerOne() throws Exception {
    store.store(List.of(), List.of(summary(5, 1200)), List.of(status(7, false)));
    store.store(List.of(), List.of(summary(3, 800)), List.of(status(6, true)));

    assertThat(
            jdbc.sql(
                    "SELECT revision, distance_m FROM vehicle_daily_summaries"
                        + " WHERE vehicle_id = ? AND day = ?")
                .params(vehicle, LocalDate.of(2026, 12, 3))
                .query((rs, row) -> List.of(rs.getLong(1), rs.getDouble(2)))
                .single())
        .containsExactly(5L, 1200.0);
    assertThat(
            jdbc.sql("SELECT online FROM vehicle_status WHERE vehicle_id = ?")
                .param(vehicle)
                .query(Boolean.class)
                .single())
        .isFalse();

    store.store(List.of(), List.of(summary(6, 1500)), List.of(status(8, true)));
    assertThat(
            jdbc.sql("SELECT distance_m FROM vehicle_daily_summaries WHERE vehicle_id = ?")
                .param(vehicle)
                .query(Double.class)
                .single())
        .isEqualTo(1500.0);
    assertThat(
            jdbc.sql("SELECT online FROM vehicle_status WHERE vehicle_id = ?")
                .param(vehicle)
                .query(Boolean.class)
                .single())
        .isTrue();
  }

  private DailySummary summary(long revision, double distanceM) {
    return new DailySummary(
        vehicle,
        fleet,
        LocalDate.of(2026, 12, 3),
        "Europe/Berlin",
        revision,
        distanceM,
        100,
        30,
        50.0,
        43.2,
        1,
        0,
        0,
        0,
        20,
        at,
        52.5,
        13.4,
        at.plusSeconds(130),
        52.51,
        13.4);
  }

  private VehicleStatus status(long revision, boolean online) {
    return new VehicleStatus(vehicle, fleet, revision, online, at, at, false, null);
  }
}
