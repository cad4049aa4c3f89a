package io.fleetline.routing.derived;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.routing.position.BatchFault;
import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Trips and stops are a function of the history alone: the same pings shuffled, duplicated, delayed
 * and split into random batches give exactly the rows that one ordered batch gives, on the real
 * PostGIS.
 */
class TripDeterminismTest {

  static final UUID FLEET = UUID.fromString("00000000-0000-0000-0000-00000000f1ee");
  static final List<UUID> VEHICLES =
      List.of(
          UUID.fromString("00000000-0000-0000-0000-000000000001"),
          UUID.fromString("00000000-0000-0000-0000-000000000002"),
          UUID.fromString("00000000-0000-0000-0000-000000000003"));
  static final Instant START = Instant.parse("2026-11-25T21:30:00Z");

  static List<VehiclePing> pings;
  static DerivedTables reference;

  @BeforeAll
  static void orderedReference() {
    pings = Scenario.pings(FLEET, VEHICLES, START);
    reference = new DerivedTables(TestPostgis.newDatabase(), BatchFault.NONE, false);
    reference.write(pings);
  }

  @Test
  void oneOrderedBatchGivesWhatThePureDetectorGives() {
    TripDetector detector = new TripDetector(TripSettings.defaults());
    int trips = 0;
    int stops = 0;
    for (UUID vehicle : VEHICLES) {
      List<Sample> samples =
          pings.stream()
              .filter(p -> p.vehicleId().equals(vehicle))
              .map(
                  p ->
                      new Sample(
                          p.recordedAt(),
                          p.measurements().latitude(),
                          p.measurements().longitude(),
                          p.measurements().speedKmh(),
                          p.measurements().ignition()))
              .toList();
      Detection d = detector.detect(samples);
      trips += d.trips().size();
      stops += d.stops().size();
    }

    assertThat(reference.trips()).hasSize(trips).hasSizeGreaterThanOrEqualTo(3 * 4);
    assertThat(reference.stops()).hasSize(stops).hasSizeGreaterThanOrEqualTo(3 * 3);
  }

  /**
   * Owned batches keep each vehicle's window in memory between batches and read it from the
   * database only after late pings; the others read it every time. Both must give the reference.
   */
  @ParameterizedTest(name = "seed {0}, windows kept in memory: {1}")
  @CsvSource({
    "1, true",
    "2, true",
    "3, true",
    "4, true",
    "5, true",
    "6, true",
    "7, true",
    "8, true",
    "1, false",
    "2, false",
    "3, false",
    "4, false",
    "5, false",
    "6, false"
  })
  void shuffledDuplicatedDelayedRandomBatchesGiveTheSameTripsAndStops(long seed, boolean owned) {
    Random random = new Random(seed);
    List<VehiclePing> arrival = new ArrayList<>(pings);
    for (int i = 0; i < pings.size() / 10; i++) {
      arrival.add(pings.get(random.nextInt(pings.size())));
    }
    if (seed % 2 == 0) {
      // Vehicle-wise order with one vehicle's first hour uploaded last, as a buffering tracker
      // does.
      arrival.sort(Comparator.comparing(VehiclePing::recordedAt));
      List<VehiclePing> delayed =
          arrival.stream()
              .filter(
                  p ->
                      p.vehicleId().equals(VEHICLES.get(1))
                          && p.recordedAt().isBefore(START.plusSeconds(3600)))
              .toList();
      arrival.removeAll(delayed);
      arrival.addAll(delayed);
    } else {
      java.util.Collections.shuffle(arrival, random);
    }
    DerivedTables tables = new DerivedTables(TestPostgis.newDatabase(), BatchFault.NONE, owned);

    int from = 0;
    while (from < arrival.size()) {
      int to = Math.min(arrival.size(), from + 1 + random.nextInt(150));
      tables.write(arrival.subList(from, to));
      from = to;
    }

    assertThat(tables.trips()).containsExactlyElementsOf(reference.trips());
    assertThat(tables.stops()).containsExactlyElementsOf(reference.stops());
    assertThat(tables.history()).containsExactlyElementsOf(reference.history());
    assertThat(tables.latest()).containsExactlyElementsOf(reference.latest());
  }
}
