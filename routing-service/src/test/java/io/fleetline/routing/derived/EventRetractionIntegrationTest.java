package io.fleetline.routing.derived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.position.StoredBatch;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.Track;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events that late history contradicts are retracted, on the real PostGIS, through the whole write
 * path: once, in the batch that stores the late pings, and raised anew should later history imply
 * them again.
 */
class EventRetractionIntegrationTest {

  static final UUID FLEET = UUID.randomUUID();
  static final Duration SEC10 = Duration.ofSeconds(10);
  static final Duration SEC30 = Duration.ofSeconds(30);

  /** Where the geofences are: one raising on entry at once, one after a minute inside. */
  static final double DEPOT_LAT = 52.6;

  static final double YARD_LAT = 52.7;
  static final double LON = 13.5;

  static final AtomicBoolean crashLateBatch = new AtomicBoolean();
  static DerivedTables tables;

  /** Hours ago, as a tracker's buffered upload shows it. */
  final Instant t0 = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);

  @BeforeAll
  static void fleetWithGeofences() {
    tables =
        new DerivedTables(
            TestPostgis.newDatabase(),
            pings -> {
              if (crashLateBatch.getAndSet(false)) {
                throw new IllegalStateException("injected crash before commit");
              }
            });
    tables.execute("INSERT INTO fleets (id, name) VALUES ('" + FLEET + "', 'retractions')");
    geofence("depot", DEPOT_LAT, 0);
    geofence("yard", YARD_LAT, 60);
    tables.geofences.refresh();
  }

  private static void geofence(String name, double lat, int dwellS) {
    String center = "ST_SetSRID(ST_MakePoint(" + LON + ", " + lat + "), 4326)";
    tables.execute(
        "INSERT INTO geofences (id, fleet_id, name, area, center, radius_m, dwell_s) VALUES"
            + " (gen_random_uuid(), '"
            + FLEET
            + "', '"
            + name
            + "', ST_Buffer("
            + center
            + "::geography, 200)::geometry, "
            + center
            + ", 200, "
            + dwellS
            + ")");
  }

  @Test
  void tripStartedIsRetractedWhenLatePingsMergeItsTripIntoTheOneBefore() {
    UUID vehicle = UUID.randomUUID();
    Day day = twoTripsThatALoopMerges(vehicle);
    writeInBatches(day.live(), 3);
    List<String> tripEventsBefore = liveEvents(vehicle);
    assertThat(tripEventsBefore)
        .extracting(row -> row.split("\\|")[1])
        .containsExactly("trip_started", "trip_ended", "trip_started", "trip_ended");

    StoredBatch late = tables.write(day.late());

    assertThat(late.newEvents())
        .extracting(VehicleEvent::type)
        .containsExactly(
            "event_retracted", "event_retracted", "event_retracted", VehicleEvent.TRIP_ENDED);
    assertThat(retractions(vehicle))
        .containsExactly(
            "trip_ended|" + time(tripEventsBefore.get(1)) + "|true|",
            "trip_started|" + time(tripEventsBefore.get(2)) + "|true|",
            "trip_ended|" + time(tripEventsBefore.get(3)) + "|true|");
    // What remains is what the whole history implies: one trip, started and ended once.
    assertThat(liveEvents(vehicle))
        .extracting(EventRetractionIntegrationTest::withoutId)
        .containsExactlyElementsOf(eventsOfTheSameHistoryWrittenAtOnce(day));
    assertThat(
            tables.rows("SELECT count(*) FROM trips WHERE vehicle_id = '" + vehicle + "'").get(0))
        .isEqualTo("1|");
    assertThat(liveEvents(vehicle).get(0)).isEqualTo(tripEventsBefore.get(0));
  }

  @Test
  void aRetractionFromPingsUploadedHoursLaterIsNotLiveThoughTheEventWas() {
    UUID vehicle = UUID.randomUUID();
    Day day = twoTripsThatALoopMerges(vehicle);
    writeInBatches(day.live(), 3);
    // As detection marks them when the pings come as they happen.
    tables.execute(
        "UPDATE vehicle_events SET details = details || '{\"live\":true}' WHERE vehicle_id = '"
            + vehicle
            + "'");

    StoredBatch late = tables.write(day.late());

    assertThat(late.newEvents())
        .filteredOn(e -> e.type().equals(VehicleEvent.EVENT_RETRACTED))
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.details()).containsEntry("live", false));
    assertThat(
            tables.rows(
                "SELECT details->>'live' FROM vehicle_events WHERE type = 'event_retracted'"
                    + " AND vehicle_id = '"
                    + vehicle
                    + "'"))
        .containsOnly("false|")
        .hasSize(3);
  }

  @Test
  void aLateBatchRedeliveredOrRecomputedRetractsNothingTwiceAndNothingFlaps() {
    UUID vehicle = UUID.randomUUID();
    Day day = twoTripsThatALoopMerges(vehicle);
    writeInBatches(day.live(), 2);
    crashLateBatch.set(true);
    assertThatThrownBy(() -> tables.write(day.late()))
        .hasRootCauseMessage("injected crash before commit");
    assertThat(retractions(vehicle)).isEmpty();

    tables.write(day.late());
    List<String> feed = feed(vehicle);
    // Redelivered: nothing new to store. Recomputed over the same window with one more ping of
    // the loop, and going on in order: nothing changes.
    assertThat(tables.write(day.late()).newEvents()).isEmpty();
    Sample inLoop = day.lateSamples().get(5);
    VehiclePing extra =
        Scenario.ping(
            FLEET,
            vehicle,
            new Sample(
                inLoop.recordedAt().plusSeconds(5),
                inLoop.latitude(),
                inLoop.longitude(),
                inLoop.speedKmh(),
                inLoop.ignition()));
    assertThat(tables.write(List.of(extra)).newEvents()).isEmpty();
    assertThat(tables.write(parkedOn(vehicle, day.last(), 3)).newEvents()).isEmpty();

    assertThat(feed(vehicle)).containsExactlyElementsOf(feed).hasSize(8);
    assertThat(retractions(vehicle)).hasSize(3);
  }

  @Test
  void geofenceEnteredIsRetractedWhenLatePingsShowTheVehicleWasElsewhere() {
    UUID vehicle = UUID.randomUUID();
    // In the yard a minute before the entry counts; the late ping shows a short visit cut by a
    // trip outside, and the stay that counts beginning only after it.
    tables.write(
        List.of(
            at(vehicle, 0, YARD_LAT + 0.01, 20),
            at(vehicle, 60, YARD_LAT, 0),
            at(vehicle, 150, YARD_LAT, 0),
            at(vehicle, 240, YARD_LAT, 0)));
    assertThat(geofenceEvents(vehicle)).containsExactly("geofence_entered|yard|" + t(60) + "|");

    tables.write(List.of(at(vehicle, 100, YARD_LAT + 0.01, 20)));

    assertThat(geofenceEvents(vehicle)).containsExactly("geofence_entered|yard|" + t(150) + "|");
    assertThat(retractions(vehicle)).containsExactly("geofence_entered|" + t(60) + "|true|");
  }

  @Test
  void theSameEventImpliedAgainAfterItsRetractionIsRaisedAnewWithANewId() {
    UUID vehicle = UUID.randomUUID();
    tables.write(List.of(at(vehicle, 0, DEPOT_LAT + 0.01, 20), at(vehicle, 60, DEPOT_LAT, 5)));
    long first = geofenceEnteredId(vehicle, 60);
    tables.write(List.of(at(vehicle, 30, DEPOT_LAT, 5)));
    assertThat(geofenceEvents(vehicle)).containsExactly("geofence_entered|depot|" + t(30) + "|");

    tables.write(List.of(at(vehicle, 45, DEPOT_LAT + 0.01, 20)));

    assertThat(geofenceEvents(vehicle))
        .containsExactly(
            "geofence_entered|depot|" + t(30) + "|",
            "geofence_exited|depot|" + t(45) + "|",
            "geofence_entered|depot|" + t(60) + "|");
    long again = geofenceEnteredId(vehicle, 60);
    long retraction =
        Long.parseLong(
            tables
                .rows("SELECT retracted_by FROM vehicle_events WHERE id = " + first)
                .get(0)
                .replace("|", ""));
    assertThat(again).isGreaterThan(retraction);
    assertThat(retraction).isGreaterThan(first);
  }

  @Test
  void overspeedIsRetractedWhenALateSampleBelowTheLimitSplitsTheEpisode() {
    UUID vehicle = UUID.randomUUID();
    tables.write(
        List.of(
            at(vehicle, 0, 52.8, 130), at(vehicle, 20, 52.8072, 130), at(vehicle, 60, 52.82, 50)));
    assertThat(typed(vehicle, VehicleEvent.OVERSPEED)).containsExactly(t(0));

    tables.write(List.of(at(vehicle, 10, 52.8036, 90)));

    assertThat(typed(vehicle, VehicleEvent.OVERSPEED)).isEmpty();
    assertThat(retractions(vehicle)).containsExactly("overspeed|" + t(0) + "|true|");
  }

  /** A vehicle's pings as they arrived live, and the ones its tracker uploaded hours later. */
  record Day(
      List<VehiclePing> live, List<VehiclePing> late, List<Sample> lateSamples, Sample last) {}

  /**
   * Two trips with a stop between them as the live pings show it, and a loop driven meanwhile that
   * the live pings missed: they only saw the vehicle arrive and, six minutes later, leave.
   */
  private Day twoTripsThatALoopMerges(UUID vehicle) {
    Track track =
        new Track(t0, 52.5, 13.4, 7)
            .park(Duration.ofMinutes(8), SEC30, 5)
            .drive(Duration.ofMinutes(6), SEC10, 45, 90)
            .park(Duration.ofMinutes(1), SEC30, 3);
    int loopFrom = track.samples().size();
    track.drive(Duration.ofMinutes(3), SEC10, 40, 0).drive(Duration.ofMinutes(3), SEC10, 40, 180);
    int loopTo = track.samples().size();
    track
        .park(Duration.ofMinutes(2), SEC30, 3)
        .drive(Duration.ofMinutes(6), SEC10, 45, 90)
        .park(Duration.ofMinutes(8), SEC30, 5);
    List<Sample> all = track.samples();
    List<Sample> live = new ArrayList<>(all.subList(0, loopFrom));
    live.addAll(all.subList(loopTo, all.size()));
    List<Sample> late = all.subList(loopFrom, loopTo);
    return new Day(pings(vehicle, live), pings(vehicle, late), late, all.get(all.size() - 1));
  }

  private List<String> eventsOfTheSameHistoryWrittenAtOnce(Day day) {
    UUID other = UUID.randomUUID();
    List<VehiclePing> all = new ArrayList<>();
    for (VehiclePing p : day.live()) {
      all.add(Scenario.ping(FLEET, other, sample(p)));
    }
    for (Sample s : day.lateSamples()) {
      all.add(Scenario.ping(FLEET, other, s));
    }
    all.sort(Comparator.comparing(VehiclePing::recordedAt));
    tables.write(all);
    return liveEvents(other).stream().map(EventRetractionIntegrationTest::withoutId).toList();
  }

  private void writeInBatches(List<VehiclePing> pings, int batches) {
    int size = (pings.size() + batches - 1) / batches;
    for (int i = 0; i < pings.size(); i += size) {
      tables.write(pings.subList(i, Math.min(pings.size(), i + size)));
    }
  }

  /** Still parked where {@code last} was, a ping every 30 s. */
  private static List<VehiclePing> parkedOn(UUID vehicle, Sample last, int minutes) {
    List<VehiclePing> pings = new ArrayList<>();
    for (int i = 1; i <= minutes * 2; i++) {
      Sample s =
          new Sample(
              last.recordedAt().plusSeconds(30L * i),
              last.latitude(),
              last.longitude(),
              0.0,
              false);
      pings.add(Scenario.ping(FLEET, vehicle, s));
    }
    return pings;
  }

  private static List<VehiclePing> pings(UUID vehicle, List<Sample> samples) {
    return samples.stream().map(s -> Scenario.ping(FLEET, vehicle, s)).toList();
  }

  private static Sample sample(VehiclePing p) {
    return new Sample(
        p.recordedAt(),
        p.measurements().latitude(),
        p.measurements().longitude(),
        p.measurements().speedKmh(),
        p.measurements().ignition());
  }

  private VehiclePing at(UUID vehicle, int second, double lat, double speedKmh) {
    return Scenario.ping(
        FLEET, vehicle, new Sample(t0.plusSeconds(second), lat, LON, speedKmh, true));
  }

  private String t(int second) {
    return tables
        .rows("SELECT TIMESTAMPTZ '" + t0.plusSeconds(second) + "'")
        .get(0)
        .replace("|", "");
  }

  /** The vehicle's events not retracted, without retractions: id, type, time, place, details. */
  private static List<String> liveEvents(UUID vehicle) {
    return tables.rows(
        "SELECT id, type, occurred_at, ST_AsText(location), details - 'live' FROM vehicle_events"
            + " WHERE vehicle_id = '"
            + vehicle
            + "' AND retracted_by IS NULL AND type <> 'event_retracted' ORDER BY occurred_at, id");
  }

  /** The vehicle's whole feed, in order. */
  private static List<String> feed(UUID vehicle) {
    return tables.rows(
        "SELECT id, type, occurred_at, retracted_by, details FROM vehicle_events"
            + " WHERE vehicle_id = '"
            + vehicle
            + "' ORDER BY id");
  }

  /**
   * The vehicle's retractions in feed order: the retracted type and time, and whether the retracted
   * event names the retraction and is older.
   */
  private static List<String> retractions(UUID vehicle) {
    return tables.rows(
        "SELECT r.details->>'retractedType', r.occurred_at,"
            + " (e.retracted_by = r.id AND e.id < r.id AND e.type = r.details->>'retractedType'"
            + " AND e.occurred_at = r.occurred_at AND ST_Equals(e.location, r.location))::text"
            + " FROM vehicle_events r JOIN vehicle_events e"
            + " ON e.id = (r.details->>'retractedId')::bigint"
            + " WHERE r.vehicle_id = '"
            + vehicle
            + "' AND r.type = 'event_retracted' ORDER BY r.id");
  }

  private static List<String> geofenceEvents(UUID vehicle) {
    return tables.rows(
        "SELECT type, details->>'geofenceName', occurred_at FROM vehicle_events"
            + " WHERE vehicle_id = '"
            + vehicle
            + "' AND type LIKE 'geofence_%' AND retracted_by IS NULL ORDER BY occurred_at");
  }

  private long geofenceEnteredId(UUID vehicle, int second) {
    return Long.parseLong(
        tables
            .rows(
                "SELECT id FROM vehicle_events WHERE vehicle_id = '"
                    + vehicle
                    + "' AND type = 'geofence_entered' AND retracted_by IS NULL"
                    + " AND occurred_at = '"
                    + t0.plusSeconds(second)
                    + "'")
            .get(0)
            .replace("|", ""));
  }

  private static List<String> typed(UUID vehicle, String type) {
    return tables
        .rows(
            "SELECT occurred_at FROM vehicle_events WHERE vehicle_id = '"
                + vehicle
                + "' AND type = '"
                + type
                + "' AND retracted_by IS NULL ORDER BY occurred_at")
        .stream()
        .map(row -> row.replace("|", ""))
        .toList();
  }

  private static String time(String eventRow) {
    return eventRow.split("\\|")[2];
  }

  private static String withoutId(String eventRow) {
    return eventRow.substring(eventRow.indexOf('|') + 1);
  }
}
