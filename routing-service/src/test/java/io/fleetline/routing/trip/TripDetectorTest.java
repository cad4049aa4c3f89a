package io.fleetline.routing.trip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The detection rules, one behaviour each, without Spring or a database. */
class TripDetectorTest {

  static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");
  static final Duration SEC10 = Duration.ofSeconds(10);
  final TripDetector detector = new TripDetector(TripSettings.defaults());

  @Test
  void aDriveBetweenTwoParkingsIsOneClosedTripBetweenTwoStops() {
    Track track =
        new Track(T0, 52.5, 13.4, 1)
            .park(Duration.ofMinutes(10), SEC10, 10)
            .drive(Duration.ofMinutes(10), SEC10, 50, 90)
            .park(Duration.ofMinutes(10), SEC10, 10);

    Detection d = detector.detect(track.samples());

    assertThat(d.trips()).hasSize(1);
    Trip trip = d.trips().get(0);
    assertThat(trip.open()).isFalse();
    assertThat(trip.distanceM()).isBetween(8_000.0, 8_700.0);
    assertThat(trip.maxSpeedKmh()).isEqualTo(50.0);
    assertThat(trip.avgSpeedKmh()).isBetween(40.0, 52.0);
    assertThat(trip.startedAt()).isEqualTo(d.stops().get(0).endedAt());
    assertThat(trip.endedAt()).isEqualTo(d.stops().get(1).startedAt());
    assertThat(d.stops()).hasSize(2);
    assertThat(d.stops().get(0).open()).isFalse();
    assertThat(d.stops().get(1).open()).isTrue();
  }

  @Test
  void jitterOfFixesWithin50MetresWhileParkedWithoutSpeedOrIgnitionMakesNoTrip() {
    List<Sample> parked = new ArrayList<>();
    for (Sample s : new Track(T0, 52.5, 13.4, 2).park(Duration.ofHours(3), SEC10, 25).samples()) {
      parked.add(new Sample(s.recordedAt(), s.latitude(), s.longitude(), null, null));
    }

    Detection d = detector.detect(parked);

    assertThat(d.trips()).isEmpty();
    assertThat(d.stops()).hasSize(1);
    assertThat(d.stops().get(0).durationS()).isGreaterThan(3 * 3600 - 20);
  }

  @Test
  void aShortHopIsNotATrip() {
    Track track =
        new Track(T0, 52.5, 13.4, 3)
            .park(Duration.ofMinutes(10), SEC10, 5)
            .drive(Duration.ofSeconds(40), SEC10, 30, 0)
            .park(Duration.ofMinutes(10), SEC10, 5);

    assertThat(detector.detect(track.samples()).trips()).isEmpty();
  }

  @Test
  void aShortHopThenStandingWithJitterIsNoTripEvenBeforeTheStandingBecomesAStop() {
    // 50 s and ~280 m of driving, then parked with 20 m jitter; every prefix of the history is
    // what a batch may see: no prefix may show a trip (its trip_started could not be taken back).
    List<Sample> all =
        new Track(T0, 52.5, 13.4, 9)
            .park(Duration.ofMinutes(10), SEC10, 5)
            .drive(Duration.ofSeconds(50), SEC10, 20, 45)
            .park(Duration.ofMinutes(6), SEC10, 20)
            .samples();

    for (int n = 1; n <= all.size(); n++) {
      assertThat(detector.detect(all.subList(0, n)).trips()).as("first %d samples", n).isEmpty();
    }
  }

  @Test
  void aDriveStillGoingOnIsAnOpenTripThroughItsStandingAtTheEnd() {
    Track track =
        new Track(T0, 52.5, 13.4, 10)
            .park(Duration.ofMinutes(10), SEC10, 5)
            .drive(Duration.ofMinutes(5), SEC10, 50, 90)
            .park(Duration.ofMinutes(2), SEC10, 3, true);
    List<Sample> samples = track.samples();

    Detection d = detector.detect(samples);

    assertThat(d.trips()).hasSize(1);
    assertThat(d.trips().get(0).open()).isTrue();
    assertThat(d.trips().get(0).endedAt()).isEqualTo(samples.get(samples.size() - 1).recordedAt());
  }

  @Test
  void aTrafficLightShorterThanTheParkingDurationDoesNotEndTheTrip() {
    Track track =
        new Track(T0, 52.5, 13.4, 4)
            .park(Duration.ofMinutes(10), SEC10, 5)
            .drive(Duration.ofMinutes(5), SEC10, 50, 90)
            .park(Duration.ofMinutes(2), SEC10, 3, true)
            .drive(Duration.ofMinutes(5), SEC10, 50, 90)
            .park(Duration.ofMinutes(10), SEC10, 5);

    Detection d = detector.detect(track.samples());

    assertThat(d.trips()).hasSize(1);
    assertThat(d.stops()).hasSize(2);
  }

  @Test
  void aDataGapWhileTheVehicleMovesEndsTheTrip() {
    Track track =
        new Track(T0, 52.5, 13.4, 5)
            .park(Duration.ofMinutes(10), SEC10, 5)
            .drive(Duration.ofMinutes(5), SEC10, 50, 90)
            .silence(Duration.ofMinutes(20), 5_000)
            .drive(Duration.ofMinutes(5), SEC10, 50, 90);

    Detection d = detector.detect(track.samples());

    assertThat(d.trips()).hasSize(2);
    assertThat(d.trips().get(0).open()).isFalse();
    assertThat(d.trips().get(1).open()).isTrue();
    assertThat(d.trips().get(0).distanceM()).isLessThan(4_500);
  }

  @Test
  void aSilentParkingIsAStopWhenTheVehicleIsStillThere() {
    Track track =
        new Track(T0, 52.5, 13.4, 6)
            .drive(Duration.ofMinutes(5), SEC10, 50, 90)
            .park(Duration.ofSeconds(20), SEC10, 2)
            .silence(Duration.ofHours(8), 0)
            .park(Duration.ofSeconds(20), SEC10, 2)
            .drive(Duration.ofMinutes(5), SEC10, 50, 90);

    Detection d = detector.detect(track.samples());

    assertThat(d.stops()).hasSize(1);
    assertThat(d.stops().get(0).durationS()).isGreaterThan(8 * 3600);
    assertThat(d.trips()).hasSize(2);
  }

  @Test
  void ignitionOffIsParkedEvenWhenTheFixWanders() {
    Track track =
        new Track(T0, 52.5, 13.4, 7)
            .drive(Duration.ofMinutes(5), SEC10, 50, 90)
            .park(Duration.ofMinutes(10), SEC10, 300, false)
            .drive(Duration.ofMinutes(5), SEC10, 50, 0);

    Detection d = detector.detect(track.samples());

    assertThat(d.stops()).hasSize(1);
    assertThat(d.trips()).hasSize(2);
  }

  @Test
  void detectionRestartedAtAStopGivesTheSameResultFromThere() {
    Track track =
        new Track(T0, 52.5, 13.4, 8)
            .park(Duration.ofMinutes(10), SEC10, 10)
            .drive(Duration.ofMinutes(10), SEC10, 50, 90)
            .park(Duration.ofMinutes(10), SEC10, 10)
            .drive(Duration.ofMinutes(10), SEC10, 70, 180)
            .park(Duration.ofMinutes(6), SEC10, 10);
    List<Sample> all = track.samples();
    Detection full = detector.detect(all);
    Stop second = full.stops().get(1);

    List<Sample> window =
        all.stream().filter(s -> !s.recordedAt().isBefore(second.startedAt())).toList();
    Detection part = detector.detect(window);

    assertThat(part.stops()).isEqualTo(full.stops().subList(1, full.stops().size()));
    assertThat(part.trips()).isEqualTo(full.trips().subList(1, full.trips().size()));
  }

  @Test
  void detectionResumedAtTheDepartureOfAFinishedStopGivesTheSameResultFromThere() {
    List<Sample> all =
        new Track(T0, 52.5, 13.4, 9)
            .park(Duration.ofMinutes(10), SEC10, 10)
            .drive(Duration.ofMinutes(10), SEC10, 50, 90)
            .park(Duration.ofMinutes(7), SEC10, 10)
            .drive(Duration.ofMinutes(4), SEC10, 70, 180)
            .samples();
    Detection full = detector.detect(all);
    Stop second = full.stops().get(1);

    Detection part =
        detector.detectAfterStop(
            all.stream().filter(s -> !s.recordedAt().isBefore(second.endedAt())).toList());

    assertThat(part.stops()).isEmpty();
    assertThat(part.trips()).isEqualTo(full.trips().subList(1, full.trips().size()));
  }
}
