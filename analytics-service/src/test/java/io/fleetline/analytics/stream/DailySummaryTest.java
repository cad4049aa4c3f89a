package io.fleetline.analytics.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DailySummaryTest {

  static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
  static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @Test
  void summaryCountsDistanceDrivingIdlingTripsAndSpeedsOfTheDay() {
    UUID vehicle = UUID.randomUUID();
    Track track =
        Track.of(vehicle, T0)
            .ignition(false)
            .samples(TEN_SECONDS, 0, 0, 0) // parked, 0-20 s
            .ignition(true)
            .samples(TEN_SECONDS, 0, 0, 0, 0, 0, 0, 0) // idling, 30-90 s
            .samples(TEN_SECONDS, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36) // 100 m each, 100-190 s
            .samples(TEN_SECONDS, 0, 0, 0); // idling again, 200-220 s
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(track.pings());
      driver.advance(Duration.ofSeconds(30));

      assertThat(driver.summaries())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.day()).isEqualTo(LocalDate.of(2026, 12, 3));
                assertThat(s.timeZone()).isEqualTo("Z");
                assertThat(s.fleetId()).isEqualTo(Track.FLEET);
                assertThat(s.distanceM()).isCloseTo(1000, within(1.0));
                assertThat(s.drivingS()).isEqualTo(110);
                assertThat(s.idleS()).isEqualTo(80);
                assertThat(s.maxSpeedKmh()).isEqualTo(36);
                assertThat(s.avgSpeedKmh()).isCloseTo(1000 / 110.0 * 3.6, within(0.05));
                assertThat(s.tripCount()).isEqualTo(1);
                assertThat(s.sampleCount()).isEqualTo(23);
                assertThat(s.firstAt()).isEqualTo(T0);
                assertThat(s.firstLatitude()).isEqualTo(52.5);
                assertThat(s.lastAt()).isEqualTo(T0.plusSeconds(220));
                assertThat(s.lastLatitude()).isGreaterThan(52.5);
              });
    }
  }

  @Test
  void shortHaltIsTheSameTripAndAHaltOfFiveMinutesStartsAnother() {
    UUID vehicle = UUID.randomUUID();
    Track track =
        Track.of(vehicle, T0)
            .samples(Duration.ofMinutes(1), 40, 40, 0, 0, 40) // 2-minute halt: same trip
            .samples(Duration.ofMinutes(1), 0, 0, 0, 0, 0, 0, 40, 40); // 6-minute halt: a new one
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(track.pings());
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.summaries())
          .singleElement()
          .satisfies(s -> assertThat(s.tripCount()).isEqualTo(2));
    }
  }

  @Test
  void dayBoundaryFollowsTheFleetsTimeZone() {
    UUID berlinFleet = UUID.randomUUID();
    UUID inBerlin = UUID.randomUUID();
    UUID inUtc = UUID.randomUUID();
    // 23:59:30 to 00:00:20 in Berlin (UTC+1 in December)
    Instant start = Instant.parse("2026-12-03T22:59:30Z");
    FleetZones zones =
        fleet -> fleet.equals(berlinFleet) ? ZoneId.of("Europe/Berlin") : ZoneOffset.UTC;
    try (AnalyticsDriver driver =
        new AnalyticsDriver(DetectionSettings.defaults(), zones, start.plusSeconds(30))) {
      driver.send(
          Track.of(inBerlin, berlinFleet, start)
              .samples(TEN_SECONDS, 36, 36, 36, 36, 36, 36)
              .pings());
      driver.send(Track.of(inUtc, start).samples(TEN_SECONDS, 36, 36, 36, 36, 36, 36).pings());
      driver.advance(Duration.ofSeconds(30));

      List<DailySummary> berlin =
          driver.summaries().stream().filter(s -> s.vehicleId().equals(inBerlin)).toList();
      assertThat(berlin)
          .extracting(DailySummary::day, DailySummary::sampleCount, DailySummary::timeZone)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 12, 3), 3L, "Europe/Berlin"),
              org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 12, 4), 3L, "Europe/Berlin"));
      // The stretch across midnight counts for the day it ends in.
      assertThat(berlin.get(0).distanceM()).isCloseTo(200, within(0.5));
      assertThat(berlin.get(1).distanceM()).isCloseTo(300, within(0.5));
      assertThat(berlin.get(1).firstAt()).isEqualTo(Instant.parse("2026-12-03T23:00:00Z"));
      assertThat(driver.summaries().stream().filter(s -> s.vehicleId().equals(inUtc)))
          .singleElement()
          .satisfies(s -> assertThat(s.sampleCount()).isEqualTo(6));
    }
  }

  @Test
  void latePingsUpdateTheirDayWithinTheGracePeriodAndAreLeftOutAfterIt() {
    UUID vehicle = UUID.randomUUID();
    Instant lateEvening = Instant.parse("2026-12-03T23:50:00Z");
    // 01:00 the next day: the 3rd is open until 02:00
    try (AnalyticsDriver driver = new AnalyticsDriver(Instant.parse("2026-12-04T01:00:00Z"))) {
      driver.send(Track.of(vehicle, lateEvening).samples(TEN_SECONDS, 36, 36, 36).pings());
      driver.advance(Duration.ofSeconds(30));
      DailySummary within = driver.summaries().get(0);
      assertThat(within.day()).isEqualTo(LocalDate.of(2026, 12, 3));
      assertThat(within.sampleCount()).isEqualTo(3);

      driver.advance(Duration.ofHours(1));
      driver.send(
          Track.of(vehicle, lateEvening.plusSeconds(60)).samples(TEN_SECONDS, 36, 36).pings());
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.summaries()).containsExactly(within);
      assertThat(driver.ignored("day_closed")).isEqualTo(2);
    }
  }

  @Test
  void pingsOutOfOrderWithinTheReorderWindowGiveTheSameResultAsOrderedOnes() {
    UUID vehicle = UUID.randomUUID();
    List<VehiclePing> ordered =
        Track.of(vehicle, T0)
            .samples(Duration.ofSeconds(1), 0, 20, 40, 60, 72, 72, 56, 40, 24, 24, 30, 40, 50)
            .pings();
    List<VehiclePing> shuffled = new ArrayList<>(ordered);
    for (int i = 0; i + 3 < shuffled.size(); i += 4) {
      java.util.Collections.reverse(shuffled.subList(i, i + 4));
    }
    try (AnalyticsDriver inOrder = new AnalyticsDriver(T0);
        AnalyticsDriver reordered = new AnalyticsDriver(T0)) {
      inOrder.send(ordered);
      reordered.send(shuffled);
      inOrder.advance(Duration.ofSeconds(30));
      reordered.advance(Duration.ofSeconds(30));
      assertThat(reordered.events()).isNotEmpty().isEqualTo(inOrder.events());
      assertThat(reordered.summaries()).isEqualTo(inOrder.summaries());
      assertThat(reordered.ignored("out_of_order")).isZero();
    }
  }

  @Test
  void pingOlderThanTheLastAppliedIsIgnoredAndRedeliveredPingsChangeNothing() {
    UUID vehicle = UUID.randomUUID();
    List<VehiclePing> pings =
        Track.of(vehicle, T0).samples(Duration.ofSeconds(1), 72, 72, 56, 40, 24, 24).pings();
    try (AnalyticsDriver once = new AnalyticsDriver(T0);
        AnalyticsDriver twice = new AnalyticsDriver(T0)) {
      once.send(pings);
      twice.send(pings);
      twice.send(pings);
      once.advance(Duration.ofSeconds(30));
      twice.advance(Duration.ofSeconds(30));
      assertThat(twice.events()).isEqualTo(once.events());
      assertThat(twice.summaries()).isEqualTo(once.summaries());
      assertThat(twice.ignored("duplicate")).isEqualTo(6);

      twice.send(pings.get(2));
      twice.send(pings.get(5));
      twice.advance(Duration.ofSeconds(30));
      assertThat(twice.ignored("out_of_order")).isEqualTo(1);
      assertThat(twice.ignored("duplicate")).isEqualTo(7);
      assertThat(twice.summaries()).isEqualTo(once.summaries());
      assertThat(twice.events(VehicleEvent.HARSH_BRAKING)).hasSize(1);
    }
  }

  @Test
  void harshRunStartingOnAnUncountedDayAfterAZoneChangeNeitherMixesZonesNorStopsTheStream() {
    UUID fleet = UUID.randomUUID();
    UUID vehicle = UUID.randomUUID();
    AtomicReference<ZoneId> zone = new AtomicReference<>(ZoneOffset.UTC);
    // 11:59:58 UTC on 3 December is 23:59:58 on 2 December at UTC-12.
    Instant start = Instant.parse("2026-12-03T11:59:58Z");
    Track track =
        Track.of(vehicle, fleet, start).samples(Duration.ofSeconds(1), 72, 72, 56, 40, 24);
    List<VehiclePing> pings = track.pings();
    try (AnalyticsDriver driver =
        new AnalyticsDriver(DetectionSettings.defaults(), f -> zone.get(), start.plusSeconds(2))) {
      driver.send(pings.subList(0, 2));
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.summaries())
          .singleElement()
          .satisfies(s -> assertThat(s.timeZone()).isEqualTo("Z"));

      zone.set(ZoneId.of("Etc/GMT+12"));
      driver.send(pings.subList(2, pings.size()));
      driver.advance(Duration.ofSeconds(30));
      driver.advance(Duration.ofSeconds(30));

      // The braking started at 23:59:59 on 2 December there, a day of which nothing was counted.
      assertThat(driver.events(VehicleEvent.HARSH_BRAKING)).hasSize(1);
      assertThat(driver.summaries())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.day()).isEqualTo(LocalDate.of(2026, 12, 3));
                assertThat(s.timeZone()).isEqualTo("Etc/GMT+12");
                assertThat(s.sampleCount()).isEqualTo(3);
                assertThat(s.firstAt()).isEqualTo(Instant.parse("2026-12-03T12:00:00Z"));
              });
    }
  }

  @Test
  void samplesAppliedWhileTheFleetsZoneIsUnknownCountTowardsNoDay() {
    UUID fleet = UUID.randomUUID();
    UUID vehicle = UUID.randomUUID();
    AtomicReference<ZoneId> zone = new AtomicReference<>();
    Instant start = Instant.parse("2026-12-03T23:30:00Z");
    List<VehiclePing> pings =
        Track.of(vehicle, fleet, start).samples(TEN_SECONDS, 36, 36, 36, 36, 36, 36).pings();
    try (AnalyticsDriver driver =
        new AnalyticsDriver(DetectionSettings.defaults(), f -> zone.get(), start.plusSeconds(20))) {
      driver.send(pings.subList(0, 3));
      driver.advance(Duration.ofSeconds(30));
      assertThat(driver.summaries()).isEmpty();

      zone.set(ZoneId.of("Europe/Berlin"));
      driver.send(pings.subList(3, pings.size()));
      driver.advance(Duration.ofSeconds(30));

      assertThat(driver.summaries())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.day()).isEqualTo(LocalDate.of(2026, 12, 4));
                assertThat(s.timeZone()).isEqualTo("Europe/Berlin");
                assertThat(s.sampleCount()).isEqualTo(3);
              });
    }
  }

  @Test
  void changingSummaryIsPublishedAgainAtMostOncePerSummaryInterval() {
    UUID vehicle = UUID.randomUUID();
    Track track = Track.of(vehicle, T0).samples(TEN_SECONDS, 36, 36, 36, 36, 36, 36);
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(track.pings());
      driver.advance(Duration.ofSeconds(30));
      assertThat(publishedSummaries(driver)).hasSize(1);

      driver.send(track.samples(TEN_SECONDS, 36, 36, 36).pings().subList(6, 9));
      driver.advance(Duration.ofSeconds(30));
      assertThat(publishedSummaries(driver)).hasSize(1);

      driver.advance(Duration.ofSeconds(30));
      assertThat(publishedSummaries(driver))
          .hasSize(2)
          .last()
          .satisfies(s -> assertThat(s.sampleCount()).isEqualTo(9));
    }
  }

  private static List<DailySummary> publishedSummaries(AnalyticsDriver driver) {
    return driver.findings().stream()
        .filter(f -> f.summary() != null)
        .map(Finding::summary)
        .toList();
  }
}
