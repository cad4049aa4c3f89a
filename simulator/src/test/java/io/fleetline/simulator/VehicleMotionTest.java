package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetline.common.Geo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VehicleMotionTest {

  static final RoadGrid BERLIN = new RoadGrid(52.52, 13.405, 250, 3000);
  static final Instant START = Instant.parse("2026-11-26T06:00:00Z");
  static final Duration SECOND = Duration.ofSeconds(1);

  /** The true state of a vehicle, second by second. */
  record State(
      Instant at,
      double lat,
      double lon,
      double speedKmh,
      VehicleMotion.Phase phase,
      double odometerM,
      double headingDeg) {}

  static List<State> drive(long seed, Duration span) {
    return drive(new VehicleMotion(BERLIN, new SplittableRandom(seed), START), span);
  }

  static List<State> drive(VehicleMotion motion, Duration span) {
    List<State> states = new ArrayList<>();
    for (long s = 0; s < span.toSeconds(); s++) {
      motion.advance(SECOND);
      states.add(
          new State(
              motion.now(),
              motion.trueLatitude(),
              motion.trueLongitude(),
              motion.speedKmh(),
              motion.phase(),
              motion.odometerM(),
              motion.headingDeg()));
    }
    return states;
  }

  @Test
  void ordinaryDrivingStaysBelowTheHarshThresholdsOutsideTheDeliberateManoeuvres() {
    for (long seed = 0; seed < 10; seed++) {
      VehicleMotion motion = new VehicleMotion(BERLIN, new SplittableRandom(seed), START);
      List<State> states = drive(motion, Duration.ofHours(6));
      List<VehicleMotion.Manoeuvre> harsh =
          motion.manoeuvres().stream().filter(m -> !m.kind().equals("idling")).toList();
      for (int i = 1; i < states.size(); i++) {
        double accelerationMs2 = (states.get(i).speedKmh() - states.get(i - 1).speedKmh()) / 3.6;
        Instant from = states.get(i - 1).at();
        Instant to = states.get(i).at();
        boolean inManoeuvre =
            harsh.stream().anyMatch(m -> m.startedAt().isBefore(to) && m.endedAt().isAfter(from));
        if (inManoeuvre) {
          continue;
        }
        // Over a second: at most comfortable braking and the liveliest ordinary acceleration,
        // below the analytics thresholds (3.5 and 3.0 m/s²).
        assertThat(accelerationMs2)
            .as("seed %d, second %d", seed, i)
            .isBetween(
                -VehicleMotion.MAX_COMFORT_BRAKING_MS2 - 0.2,
                VehicleMotion.MAX_ACCELERATION_MS2 + 1e-9);
        assertThat(states.get(i).speedKmh())
            .isBetween(0.0, RoadGrid.ARTERIAL_LIMIT_KMH * 1.05 + 1e-9);
        // Turns too, where the detector judges them (both samples at 10 km/h or more): below its
        // 3.5 m/s² with room for the heading's noise.
        if (states.get(i - 1).speedKmh() >= 10 && states.get(i).speedKmh() >= 10) {
          assertThat(Math.abs(lateralMs2(states.get(i - 1), states.get(i))))
              .as("seed %d, lateral at second %d", seed, i)
              .isLessThan(3.0);
        }
        if (states.get(i).phase() != VehicleMotion.Phase.DRIVING) {
          assertThat(states.get(i).speedKmh()).isZero();
        }
      }
    }
  }

  @Test
  void deliberateManoeuvresAreRecordedAsTheyWereDriven() {
    int idlings = 0;
    int stops = 0;
    int starts = 0;
    int corners = 0;
    int longCorners = 0;
    for (long seed = 0; seed < 10; seed++) {
      VehicleMotion motion = new VehicleMotion(BERLIN, new SplittableRandom(seed), START);
      List<State> states = drive(motion, Duration.ofHours(6));
      for (VehicleMotion.Manoeuvre m : motion.manoeuvres()) {
        List<State> during =
            states.stream()
                .filter(s -> !s.at().isBefore(m.startedAt()) && !s.at().isAfter(m.endedAt()))
                .toList();
        assertThat(m.endedAt()).isAfterOrEqualTo(m.startedAt());
        switch (m.kind()) {
          case "idling" -> {
            idlings++;
            if (!m.open()) {
              assertThat(Duration.between(m.startedAt(), m.endedAt()))
                  .isBetween(VehicleMotion.MIN_IDLING, VehicleMotion.MAX_IDLING);
            }
            assertThat(during)
                .filteredOn(s -> s.at().isAfter(m.startedAt()) && s.at().isBefore(m.endedAt()))
                .isNotEmpty()
                .allMatch(s -> s.phase() == VehicleMotion.Phase.IDLING && s.speedKmh() == 0);
          }
          case "harsh_braking" -> {
            stops++;
            if (!m.open()) {
              // It ends standing at the red light.
              assertThat(states)
                  .filteredOn(s -> !s.at().isBefore(m.endedAt()))
                  .first()
                  .matches(s -> s.speedKmh() == 0 && s.phase() == VehicleMotion.Phase.WAITING);
              double seconds =
                  Duration.between(during.get(0).at(), m.endedAt()).toMillis() / 1000.0;
              double fromKmh = during.get(0).speedKmh();
              assertThat(fromKmh / 3.6 / seconds)
                  .as("mean braking of the stop at %s", m.startedAt())
                  .isGreaterThan(VehicleMotion.HARSH_BRAKING_MS2 * 0.7);
            }
          }
          case "harsh_acceleration" -> {
            starts++;
            for (int i = 1; i < during.size() && during.get(i).at().isBefore(m.endedAt()); i++) {
              double a = (during.get(i).speedKmh() - during.get(i - 1).speedKmh()) / 3.6;
              assertThat(a).isCloseTo(VehicleMotion.HARSH_ACCELERATION_MS2, within(1e-6));
            }
          }
          case "harsh_cornering" -> {
            corners++;
            // A steady quarter circle at speed, to the side recorded, beyond 3.5 m/s² throughout.
            for (int i = 1; i < during.size(); i++) {
              double lateral = lateralMs2(during.get(i - 1), during.get(i));
              assertThat(Math.abs(lateral))
                  .as("lateral in the corner at %s", during.get(i).at())
                  .isGreaterThanOrEqualTo(4.5);
              assertThat(lateral > 0 ? "right" : "left").isEqualTo(m.direction());
            }
            if (!m.open()) {
              Duration length = Duration.between(m.startedAt(), m.endedAt());
              assertThat(length).isLessThan(Duration.ofSeconds(4));
              if (length.compareTo(Duration.ofSeconds(3)) >= 0) {
                longCorners++;
              }
            }
          }
          default -> throw new AssertionError("unknown manoeuvre " + m.kind());
        }
      }
    }
    assertThat(idlings).as("idling periods").isGreaterThan(3);
    assertThat(stops).as("emergency stops").isGreaterThan(3);
    assertThat(starts).as("racing starts").isGreaterThan(3);
    assertThat(corners).as("corners taken at speed").isGreaterThan(3);
    assertThat(longCorners).as("corners taken at speed for 3 s or more").isGreaterThan(corners / 2);
  }

  /** Lateral acceleration from a to b: mean speed times the heading's rate, positive rightwards. */
  static double lateralMs2(State a, State b) {
    double turnDeg = ((b.headingDeg() - a.headingDeg()) % 360 + 540) % 360 - 180;
    double seconds = Duration.between(a.at(), b.at()).toMillis() / 1000.0;
    return (a.speedKmh() + b.speedKmh()) / 2 / 3.6 * Math.toRadians(turnDeg) / seconds;
  }

  @Test
  void vehiclesCruiseOnStraightsAndSlowDownForTurns() {
    VehicleMotion motion = new VehicleMotion(BERLIN, new SplittableRandom(3), START);
    List<State> states = drive(motion, Duration.ofHours(6));
    double fastest = states.stream().mapToDouble(State::speedKmh).max().orElseThrow();
    assertThat(fastest).isGreaterThan(RoadGrid.STREET_LIMIT_KMH * 0.85);
    // In a turn (heading between two streets' directions), the vehicle is at turning speed or
    // below, but where it takes the corner at speed on purpose.
    List<VehicleMotion.Manoeuvre> corners =
        motion.manoeuvres().stream().filter(m -> m.kind().equals("harsh_cornering")).toList();
    List<State> turning =
        states.stream()
            .filter(s -> Math.abs(s.headingDeg() / 90 - Math.round(s.headingDeg() / 90)) > 1e-6)
            .toList();
    assertThat(turning).isNotEmpty();
    for (State s : turning) {
      boolean atSpeed =
          corners.stream()
              .anyMatch(m -> !s.at().isBefore(m.startedAt()) && !s.at().isAfter(m.endedAt()));
      if (!atSpeed) {
        assertThat(s.speedKmh())
            .as("speed in the turn at %s", s.at())
            .isLessThanOrEqualTo(VehicleMotion.TURN_SPEED_KMH + 1e-6);
      }
    }
  }

  @Test
  void vehiclesStayInTheirAreaOnTheStreets() {
    for (long seed = 0; seed < 10; seed++) {
      for (State s : drive(seed, Duration.ofHours(4))) {
        double xM = (s.lon() - BERLIN.centreLon()) * BERLIN.metresPerDegreeLon();
        double yM = (s.lat() - BERLIN.centreLat()) * RoadGrid.METRES_PER_DEGREE_LAT;
        assertThat(Math.hypot(xM, yM)).isLessThan(BERLIN.radiusM() + 2 * BERLIN.blockM());
        double offStreetX = Math.abs(xM - Math.round(xM / 250) * 250.0);
        double offStreetY = Math.abs(yM - Math.round(yM / 250) * 250.0);
        boolean onAStreet = offStreetX < 1e-3 || offStreetY < 1e-3;
        // Turns cut the corner by up to their radius: (40 km/h)² / 5 m/s², about 25 m.
        boolean turningAtACorner = offStreetX < 26 && offStreetY < 26;
        assertThat(onAStreet || turningAtACorner).as("on a street at %s", s.at()).isTrue();
      }
    }
  }

  @Test
  void parkedVehiclesStayPutWithTheirIgnitionOffApartFromGpsNoise() {
    VehicleMotion motion = new VehicleMotion(BERLIN, new SplittableRandom(11), START);
    SplittableRandom gps = new SplittableRandom(12);
    int parkedReadings = 0;
    for (int s = 0; s < 6 * 3600 / 5; s++) {
      motion.advance(Duration.ofSeconds(5));
      Reading r = motion.reading(gps, 4, 0);
      if (motion.phase() == VehicleMotion.Phase.PARKED) {
        parkedReadings++;
        assertThat(r.ignition()).isFalse();
        assertThat(r.speedKmh()).isZero();
        // 4 m of noise: practically never more than 6 sigma off
        assertThat(
                Geo.haversineMeters(
                    motion.trueLatitude(), motion.trueLongitude(), r.latitude(), r.longitude()))
            .isLessThan(4 * 6 * 1.5);
      } else {
        assertThat(r.ignition()).isTrue();
      }
    }
    assertThat(parkedReadings).isGreaterThan(10);
  }

  @Test
  void gpsJumpsAreRareOutliersWithAPoorAccuracy() {
    VehicleMotion motion = new VehicleMotion(BERLIN, new SplittableRandom(5), START);
    SplittableRandom gps = new SplittableRandom(6);
    int jumps = 0;
    for (int s = 0; s < 20_000; s++) {
      motion.advance(SECOND);
      Reading r = motion.reading(gps, 4, 0.01);
      double offM =
          Geo.haversineMeters(
              motion.trueLatitude(), motion.trueLongitude(), r.latitude(), r.longitude());
      if (r.gpsJump()) {
        jumps++;
        assertThat(offM).isBetween(99.0, 401.0);
        assertThat(r.accuracyM()).isGreaterThanOrEqualTo(50);
      } else {
        assertThat(offM).isLessThan(40);
      }
    }
    assertThat(jumps).isBetween(100, 300);
  }

  @Test
  void theTripsRecordedAreTheDrivingBetweenParkings() {
    Duration span = Duration.ofHours(8);
    VehicleMotion motion = new VehicleMotion(BERLIN, new SplittableRandom(21), START);
    List<State> states = new ArrayList<>();
    for (long s = 0; s < span.toSeconds(); s++) {
      motion.advance(SECOND);
      states.add(
          new State(
              motion.now(),
              motion.trueLatitude(),
              motion.trueLongitude(),
              motion.speedKmh(),
              motion.phase(),
              motion.odometerM(),
              motion.headingDeg()));
    }
    List<DrivenTrip> trips = motion.trips();
    assertThat(trips).hasSizeGreaterThan(2);
    for (DrivenTrip trip : trips) {
      State first = at(states, trip.startedAt());
      State last = at(states, trip.endedAt());
      assertThat(trip.startLat()).isCloseTo(first.lat(), within(1e-4));
      assertThat(trip.startLon()).isCloseTo(first.lon(), within(1e-4));
      assertThat(trip.endLat()).isCloseTo(last.lat(), within(1e-9));
      assertThat(trip.endLon()).isCloseTo(last.lon(), within(1e-9));
      // The distance driven is what the odometer counted over the trip.
      assertThat(trip.distanceM()).isCloseTo(last.odometerM() - first.odometerM(), within(30.0));
      // Between start and end, the vehicle never parked.
      assertThat(
              states.stream()
                  .filter(s -> s.at().isAfter(trip.startedAt()) && s.at().isBefore(trip.endedAt()))
                  .noneMatch(s -> s.phase() == VehicleMotion.Phase.PARKED))
          .isTrue();
      if (!trip.open()) {
        assertThat(last.phase()).isEqualTo(VehicleMotion.Phase.PARKED);
        assertThat(trip.distanceM()).isGreaterThan(VehicleMotion.MIN_TRIP_M - 1);
        assertThat(trip.parkedForS())
            .isGreaterThanOrEqualTo(
                Math.min(
                    VehicleMotion.MIN_PARKING.toSeconds() - 1,
                    Duration.between(trip.endedAt(), states.get(states.size() - 1).at())
                        .toSeconds()));
      }
    }
    // Trips do not overlap and come in order.
    for (int i = 1; i < trips.size(); i++) {
      assertThat(trips.get(i).startedAt()).isAfterOrEqualTo(trips.get(i - 1).endedAt());
    }
  }

  @Test
  void theSameSeedDrivesTheSameWay() {
    assertThat(drive(99, Duration.ofHours(2))).isEqualTo(drive(99, Duration.ofHours(2)));
    assertThat(drive(99, Duration.ofHours(2))).isNotEqualTo(drive(100, Duration.ofHours(2)));
  }

  @Test
  void theReportingIntervalDoesNotChangeTheDrive() {
    VehicleMotion everySecond = new VehicleMotion(BERLIN, new SplittableRandom(8), START);
    VehicleMotion everyMinute = new VehicleMotion(BERLIN, new SplittableRandom(8), START);
    for (int m = 0; m < 120; m++) {
      for (int s = 0; s < 60; s++) {
        everySecond.advance(SECOND);
      }
      everyMinute.advance(Duration.ofMinutes(1));
      assertThat(everyMinute.trueLatitude()).isEqualTo(everySecond.trueLatitude());
      assertThat(everyMinute.odometerM()).isCloseTo(everySecond.odometerM(), within(1e-6));
    }
  }

  private static State at(List<State> states, Instant t) {
    return states.stream()
        .filter(s -> !s.at().isBefore(t))
        .findFirst()
        .orElse(states.get(states.size() - 1));
  }
}
