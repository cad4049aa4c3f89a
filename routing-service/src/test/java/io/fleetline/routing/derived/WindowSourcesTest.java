package io.fleetline.routing.derived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.event.DetectedEvent;
import io.fleetline.routing.event.EventDetector;
import io.fleetline.routing.event.EventSettings;
import io.fleetline.routing.position.BatchFault;
import io.fleetline.routing.position.HistoryFollower.NewHistory;
import io.fleetline.routing.position.StoredBatch;
import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.Track;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripSettings;
import io.micrometer.core.instrument.DistributionSummary;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two window sources agree: a window kept in memory is the window the database gives for the
 * same vehicle and history, and detection over either gives the same trips, stops and events. Each
 * kept window a batch uses is compared with the one read from the database in the batch's own
 * transaction, and the tables and published events of a run keeping windows are compared, batch for
 * batch, with those of a run reading every window: whatever mix of in-order, late and repeated
 * pings arrives, across failed batches, partitions changing hands, other writers, and budgets that
 * displace kept windows.
 */
class WindowSourcesTest {

  static final UUID FLEET = UUID.fromString("00000000-0000-0000-0000-00000000f1ee");
  static final List<UUID> VEHICLES =
      List.of(
          UUID.fromString("00000000-0000-0000-0000-00000000000a"),
          UUID.fromString("00000000-0000-0000-0000-00000000000b"),
          UUID.fromString("00000000-0000-0000-0000-00000000000c"));
  static final Instant START = Instant.parse("2026-11-24T06:00:00Z");

  @ParameterizedTest(
      name = "seed {0}, windows of at most {1} samples kept, {2} in all, read {3} at a time")
  @CsvSource({
    "1, 20000, 1000000, 100000",
    "2, 20000, 1000000, 100000",
    "3, 20000, 1000000, 100000",
    "4, 20000, 1000000, 100000",
    "5, 30, 1000000, 100000",
    "6, 30, 1000000, 100000",
    "7, 20000, 150, 40",
    "8, 20000, 60, 1"
  })
  void inOrderBatchesWithStragglersGiveWhatReadingEveryWindowGivesBatchForBatch(
      long seed, int maxWindowSamples, long maxKeptSamples, int readChunkSamples) {
    Random random = new Random(seed);
    List<VehiclePing> arrival = inOrderWithStragglers(random);
    AgreeingSources agreeing = new AgreeingSources();
    DerivedTables kept =
        agreeing.tables(new DerivedSettings(maxWindowSamples, maxKeptSamples, readChunkSamples));
    DerivedTables read = DerivedTables.readingEveryWindow(TestPostgis.newDatabase());

    int from = 0;
    while (from < arrival.size()) {
      int to = Math.min(arrival.size(), from + 1 + random.nextInt(40));
      List<VehiclePing> batch = arrival.subList(from, to);
      assertThat(published(kept.write(batch)))
          .as("events published by the batch of pings %d to %d", from, to)
          .containsExactlyElementsOf(published(read.write(batch)));
      assertThat(kept.trips()).containsExactlyElementsOf(read.trips());
      assertThat(kept.stops()).containsExactlyElementsOf(read.stops());
      from = to;
    }

    assertSameTables(kept, read);
    assertThat(agreeing.compared).as("kept windows compared with the database").isPositive();
  }

  @Test
  void aKeptWindowIsTheWindowTheDatabaseGivesAndDetectionOverBothAgrees() {
    List<VehiclePing> pings = inOrder();
    AgreeingSources agreeing = new AgreeingSources();
    DerivedTables kept = agreeing.tables(DerivedSettings.defaults());

    int vehicleBatches = 0;
    for (int i = 0; i < pings.size(); i += 7) {
      List<VehiclePing> batch = pings.subList(i, Math.min(pings.size(), i + 7));
      kept.write(batch);
      vehicleBatches += (int) batch.stream().map(VehiclePing::vehicleId).distinct().count();
    }

    // In order, every batch of a vehicle after its first finds the window the previous one kept.
    assertThat(agreeing.compared).isEqualTo(vehicleBatches - VEHICLES.size());
  }

  @Test
  void aPartitionChangingHandsMakesItsWindowsBeReadFromTheDatabaseAgain() {
    List<VehiclePing> pings = inOrder();
    int third = pings.size() / 3;
    AgreeingSources agreeing = new AgreeingSources();
    DerivedTables first = agreeing.tables(DerivedSettings.defaults());
    first.write(pings.subList(0, third));
    // Meanwhile another consumer owned the partition and stored late pings inside the windows
    // the first one keeps: they do not move the newest stored time.
    DerivedTables other = new DerivedTables(first.database, BatchFault.NONE);
    List<VehiclePing> late = new ArrayList<>();
    for (int i = 1; i < third; i += 7) {
      late.add(shifted(pings.get(i), 3));
    }
    other.write(late);
    first.updater.forget(List.of(DerivedTables.PARTITION));
    first.write(pings.subList(third, pings.size()));

    DerivedTables read = DerivedTables.readingEveryWindow(TestPostgis.newDatabase());
    read.write(pings.subList(0, third));
    read.write(late);
    read.write(pings.subList(third, pings.size()));
    assertThat(first.trips()).containsExactlyElementsOf(read.trips()).isNotEmpty();
    assertThat(first.stops()).containsExactlyElementsOf(read.stops()).isNotEmpty();
    assertThat(first.events()).containsExactlyElementsOf(read.events());
  }

  @Test
  void newerHistoryStoredByAnotherWriterIsNoticedWithoutBeingTold() {
    List<VehiclePing> pings = inOrder();
    int third = pings.size() / 3;
    AgreeingSources agreeing = new AgreeingSources();
    DerivedTables first = agreeing.tables(DerivedSettings.defaults());
    first.write(pings.subList(0, third));
    new DerivedTables(first.database, BatchFault.NONE).write(pings.subList(third, 2 * third));
    first.write(pings.subList(2 * third, pings.size()));

    DerivedTables read = DerivedTables.readingEveryWindow(TestPostgis.newDatabase());
    read.write(pings.subList(0, third));
    read.write(pings.subList(third, 2 * third));
    read.write(pings.subList(2 * third, pings.size()));
    assertSameTables(first, read);
  }

  @Test
  void aBatchThatFailsBeforeCommitLeavesNoWindowBehind() {
    List<VehiclePing> pings = inOrder();
    AtomicBoolean crash = new AtomicBoolean();
    DerivedTables kept =
        new DerivedTables(
            TestPostgis.newDatabase(),
            batch -> {
              if (crash.getAndSet(false)) {
                throw new IllegalStateException("injected crash before commit");
              }
            });
    DerivedTables read = DerivedTables.readingEveryWindow(TestPostgis.newDatabase());
    for (int i = 0; i < pings.size(); i += 25) {
      List<VehiclePing> batch = pings.subList(i, Math.min(pings.size(), i + 25));
      if (i % 100 == 50) {
        crash.set(true);
        assertThatThrownBy(() -> kept.write(batch))
            .hasRootCauseMessage("injected crash before commit");
      }
      kept.write(batch);
      read.write(batch);
    }

    assertSameTables(kept, read);
  }

  @Test
  void windowsOfManyIdlingVehiclesStayWithinTheKeptSamplesBudgetAndGiveWhatReadingGives() {
    List<VehiclePing> pings = idlingFleet(25);
    long budget = 2_000;
    DerivedTables kept =
        new DerivedTables(
            TestPostgis.newDatabase(),
            BatchFault.NONE,
            true,
            new DerivedSettings(20_000, budget, 100_000));
    DerivedTables unbounded =
        new DerivedTables(
            TestPostgis.newDatabase(),
            BatchFault.NONE,
            true,
            new DerivedSettings(20_000, Long.MAX_VALUE, 100_000));
    DerivedTables read = DerivedTables.readingEveryWindow(TestPostgis.newDatabase());

    double mostKept = 0;
    double mostUnbounded = 0;
    for (int i = 0; i < pings.size(); i += 500) {
      List<VehiclePing> batch = pings.subList(i, Math.min(pings.size(), i + 500));
      kept.write(batch);
      unbounded.write(batch);
      read.write(batch);
      mostKept = Math.max(mostKept, keptSamples(kept));
      mostUnbounded = Math.max(mostUnbounded, keptSamples(unbounded));
    }

    // Without a budget the idling vehicles' windows grow far past it.
    assertThat(mostUnbounded).isGreaterThan(4.0 * budget);
    assertThat(mostKept).isLessThanOrEqualTo(budget).isGreaterThan(budget / 2.0);
    assertThat(kept.meters.get("fleetline.routing.derived.kept.samples.budget").gauge().value())
        .isEqualTo(budget);
    assertSameTables(kept, read);
    assertSameTables(unbounded, read);
  }

  @Test
  void aBacklogAfterAnAssignmentIsReadAGroupOfVehiclesAtATimeGivingWhatOneReadGives() {
    List<VehiclePing> pings = idlingFleet(25);
    int half = pings.size() / 2;
    int chunk = 1_000;
    DerivedTables grouped =
        new DerivedTables(
            TestPostgis.newDatabase(),
            BatchFault.NONE,
            true,
            new DerivedSettings(20_000, null, chunk));
    DerivedTables read = DerivedTables.readingEveryWindow(TestPostgis.newDatabase());
    grouped.write(pings.subList(0, half));
    read.write(pings.subList(0, half));
    // The partition is assigned anew: the backlog's one batch reads every vehicle's window.
    grouped.updater.forget(List.of(DerivedTables.PARTITION));
    grouped.write(pings.subList(half, pings.size()));
    read.write(pings.subList(half, pings.size()));

    DistributionSummary groups =
        grouped.meters.get("fleetline.routing.derived.read.samples").summary();
    // At most a vehicle's whole history: 9 minutes idling, 3 driving, 6 idling.
    int longestWindow = 9 * 60 + 3 * 12 + 6 * 60;
    assertThat(groups.max()).isLessThan(chunk + longestWindow);
    assertThat(groups.totalAmount()).isGreaterThan(5.0 * (chunk + longestWindow));
    assertSameTables(grouped, read);
  }

  /**
   * The kept windows as a source, each window it gives compared, before it is detected and written,
   * with the window read from the database for the same vehicle and new history on the batch's own
   * connection, and detection over both compared.
   */
  private static final class AgreeingSources {

    static final TripDetector TRIPS = new TripDetector(TripSettings.defaults());
    static final EventDetector EVENTS = new EventDetector(EventSettings.defaults());

    int compared;

    DerivedTables tables(DerivedSettings settings) {
      return new DerivedTables(
          TestPostgis.newDatabase(),
          settings,
          (kept, read) -> {
            WindowSource checked =
                (connection, newHistory, into) ->
                    kept.windows(
                        connection,
                        newHistory,
                        group -> {
                          compare(group, read(read, connection, group, newHistory));
                          into.accept(group);
                        });
            return List.of(checked, read);
          });
    }

    private static Map<UUID, VehicleWindow> read(
        DatabaseWindows database,
        Connection connection,
        List<VehicleWindow> group,
        Map<UUID, NewHistory> newHistory)
        throws SQLException {
      Map<UUID, NewHistory> same = new HashMap<>();
      group.forEach(w -> same.put(w.vehicleId(), newHistory.get(w.vehicleId())));
      Map<UUID, VehicleWindow> read = new HashMap<>();
      database.windows(
          connection, same, windows -> windows.forEach(w -> read.put(w.vehicleId(), w)));
      return read;
    }

    private void compare(List<VehicleWindow> group, Map<UUID, VehicleWindow> read) {
      for (VehicleWindow kept : group) {
        VehicleWindow fromDatabase = read.get(kept.vehicleId());
        assertThat(fromDatabase.start()).isEqualTo(kept.start());
        assertThat(fromDatabase.samples()).containsExactlyElementsOf(kept.samples());
        assertThat(fromDatabase.before()).isEqualTo(kept.before());
        Detection detected = kept.start().detect(TRIPS, kept.samples());
        Detection detectedFromDatabase = fromDatabase.start().detect(TRIPS, fromDatabase.samples());
        assertThat(detectedFromDatabase).isEqualTo(detected);
        assertThat(events(fromDatabase, detectedFromDatabase)).isEqualTo(events(kept, detected));
        compared++;
      }
    }

    private static List<DetectedEvent> events(VehicleWindow window, Detection detection) {
      return EVENTS.detect(
          window.vehicleId(),
          window.fleetId(),
          window.before(),
          window.samples(),
          detection,
          List.of());
    }
  }

  /**
   * The events a batch published, without their feed positions, which each database numbers (nor
   * those of the events retractions name).
   */
  private static List<String> published(StoredBatch batch) {
    return batch.newEvents().stream()
        .map(
            e -> {
              Map<String, Object> details = new HashMap<>(e.details());
              details.remove("retractedId");
              return e.vehicleId() + " " + e.type() + " " + e.occurredAt() + " " + details;
            })
        .sorted()
        .toList();
  }

  private static double keptSamples(DerivedTables tables) {
    return tables.meters.get("fleetline.routing.derived.kept.samples").gauge().value();
  }

  /**
   * Vehicles idling with the engine on and reporting every second, GPS jitter of 10 m, then a drive
   * and idling again, in time order: until each departs, its window is all its history.
   */
  private static List<VehiclePing> idlingFleet(int vehicles) {
    List<VehiclePing> pings = new ArrayList<>();
    for (int i = 0; i < vehicles; i++) {
      UUID vehicle = new UUID(0xa11, i);
      Track track =
          new Track(START, 52.5 + i * 0.01, 13.4, i)
              .park(Duration.ofMinutes(6 + i % 4), Duration.ofSeconds(1), 10, true)
              .drive(Duration.ofMinutes(3), Duration.ofSeconds(5), 40, 90)
              .park(Duration.ofMinutes(4 + i % 3), Duration.ofSeconds(1), 10, true);
      for (Sample s : track.samples()) {
        pings.add(Scenario.ping(FLEET, vehicle, s));
      }
    }
    pings.sort(Comparator.comparing(VehiclePing::recordedAt));
    return pings;
  }

  private static void assertSameTables(DerivedTables actual, DerivedTables expected) {
    assertThat(actual.trips()).containsExactlyElementsOf(expected.trips()).isNotEmpty();
    assertThat(actual.stops()).containsExactlyElementsOf(expected.stops()).isNotEmpty();
    assertThat(actual.eventFeed()).containsExactlyElementsOf(expected.eventFeed()).isNotEmpty();
    assertThat(actual.history()).containsExactlyElementsOf(expected.history());
    assertThat(actual.latest()).containsExactlyElementsOf(expected.latest());
  }

  private static List<VehiclePing> inOrder() {
    List<VehiclePing> pings = new ArrayList<>(Scenario.pings(FLEET, VEHICLES, START));
    pings.sort(Comparator.comparing(VehiclePing::recordedAt));
    return pings;
  }

  /** Time order, but now and then a ping arrives later than it should, or twice. */
  private static List<VehiclePing> inOrderWithStragglers(Random random) {
    List<VehiclePing> arrival = new ArrayList<>(inOrder());
    for (int i = 0; i < arrival.size() / 25; i++) {
      int from = random.nextInt(arrival.size());
      VehiclePing straggler = arrival.remove(from);
      arrival.add(Math.min(arrival.size(), from + 1 + random.nextInt(200)), straggler);
    }
    for (int i = 0; i < arrival.size() / 50; i++) {
      int at = random.nextInt(arrival.size());
      arrival.add(Math.min(arrival.size(), at + random.nextInt(100)), arrival.get(at));
    }
    return arrival;
  }

  /** The ping a few seconds later, a time between two of the vehicle's pings. */
  private static VehiclePing shifted(VehiclePing p, long seconds) {
    return Scenario.ping(
        p.fleetId(),
        p.vehicleId(),
        new Sample(
            p.recordedAt().plusSeconds(seconds),
            p.measurements().latitude(),
            p.measurements().longitude(),
            p.measurements().speedKmh(),
            p.measurements().ignition()));
  }
}
