package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Geo;
import io.fleetline.simulator.truth.GroundTruth;
import io.fleetline.simulator.truth.TruthPing;
import io.fleetline.simulator.truth.TruthTrip;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import tools.jackson.databind.JsonNode;

/**
 * Detected trips against the trips the vehicles really drove, within stated tolerances.
 *
 * <p>The platform can only see what the pings show, with routing's default parameters: a parking
 * shorter than {@link #MIN_PARKING} is no stop, so the driven trips around it are one detected
 * trip; a trip is only confirmed by the stop it ends in. So the driven trips are first merged
 * across short parkings, then:
 *
 * <ul>
 *   <li>each detected trip matches exactly one merged driven trip (their times overlap);
 *   <li>each merged driven trip that began after a parking of at least {@link #MIN_PARKING}, ended
 *       in one, and is clearly a trip (at least {@link #CLEAR_DISTANCE_M} and {@link
 *       #CLEAR_DURATION}) is detected;
 *   <li>start and end time within {@link #TIME_TOLERANCE} (a sampling interval either side: the
 *       platform places departure at the last sample standing and arrival at the first);
 *   <li>distance within {@link #DISTANCE_TOLERANCE_RATIO} of the driven distance plus {@link
 *       #DISTANCE_TOLERANCE_M}, plus the detour of every GPS outlier inside the trip (the platform
 *       measures the reported, noisy positions; the simulator the true path).
 * </ul>
 */
final class TripMatching {

  static final Duration MIN_PARKING = Duration.ofMinutes(5);
  static final Duration AMBIGUOUS_PARKING = Duration.ofSeconds(30);
  static final double CLEAR_DISTANCE_M = 700;
  static final Duration CLEAR_DURATION = Duration.ofMinutes(3);
  static final Duration TIME_TOLERANCE = Duration.ofSeconds(15);
  static final double DISTANCE_TOLERANCE_RATIO = 0.05;
  static final double DISTANCE_TOLERANCE_M = 100;

  private TripMatching() {}

  /** A driven trip, or several driven trips separated by parkings too short to be a stop. */
  record Driven(
      Instant startedAt,
      Instant endedAt,
      double distanceM,
      boolean afterParking,
      boolean endsInParking,
      boolean ambiguous) {

    boolean mustBeDetected() {
      return !ambiguous
          && afterParking
          && endsInParking
          && distanceM >= CLEAR_DISTANCE_M
          && Duration.between(startedAt, endedAt).compareTo(CLEAR_DURATION) >= 0;
    }

    boolean overlaps(Instant start, Instant end) {
      return start.isBefore(endedAt) && end.isAfter(startedAt);
    }
  }

  static void assertTripsMatch(TruthChecks checks, GroundTruth truth) throws Exception {
    SoftAssertions softly = new SoftAssertions();
    Map<String, List<TruthTrip>> drivenByVehicle = new TreeMap<>();
    for (TruthTrip trip : truth.trips()) {
      drivenByVehicle.computeIfAbsent(trip.vehicleId(), v -> new ArrayList<>()).add(trip);
    }
    int matched = 0;
    StringBuilder report = new StringBuilder();
    for (String vehicleId : checks.vehicleIds()) {
      TreeMap<Instant, TruthPing> pings = checks.sentByVehicle().get(vehicleId);
      if (pings.isEmpty()) {
        continue;
      }
      List<Driven> driven =
          merge(drivenByVehicle.getOrDefault(vehicleId, List.of()), pings.firstKey());
      List<JsonNode> detected = checks.reader().trips(vehicleId);
      List<Driven> unmatched = new ArrayList<>(driven);
      for (JsonNode trip : detected) {
        Instant start = Instant.parse(trip.get("startedAt").stringValue());
        Instant end = Instant.parse(trip.get("endedAt").stringValue());
        boolean open = trip.path("open").asBoolean();
        double distanceM = trip.get("distanceM").doubleValue();
        List<Driven> candidates = driven.stream().filter(d -> d.overlaps(start, end)).toList();
        if (candidates.stream().anyMatch(Driven::ambiguous)) {
          unmatched.removeAll(candidates);
          continue;
        }
        softly
            .assertThat(candidates)
            .as("vehicle %s: detected trip %s..%s overlaps one driven trip", vehicleId, start, end)
            .hasSize(1);
        if (candidates.size() != 1) {
          continue;
        }
        Driven d = candidates.get(0);
        unmatched.remove(d);
        matched++;
        double outliersM = outlierDetourM(pings, start, end);
        report.append(
            String.format(
                "%s detected %s..%s %.0f m (open %b) driven %s..%s %.0f m outliers %.0f m%n",
                vehicleId,
                start,
                end,
                distanceM,
                open,
                d.startedAt(),
                d.endedAt(),
                d.distanceM(),
                outliersM));
        if (d.afterParking()) {
          softly
              .assertThat(Duration.between(d.startedAt(), start).abs())
              .as("vehicle %s: start of the trip driven from %s", vehicleId, d.startedAt())
              .isLessThanOrEqualTo(TIME_TOLERANCE);
        }
        if (d.endsInParking() && !open) {
          softly
              .assertThat(Duration.between(d.endedAt(), end).abs())
              .as("vehicle %s: end of the trip driven until %s", vehicleId, d.endedAt())
              .isLessThanOrEqualTo(TIME_TOLERANCE);
          if (d.afterParking()) {
            double tolerance =
                d.distanceM() * DISTANCE_TOLERANCE_RATIO + DISTANCE_TOLERANCE_M + outliersM;
            softly
                .assertThat(distanceM)
                .as("vehicle %s: distance of the trip driven from %s", vehicleId, d.startedAt())
                .isBetween(d.distanceM() - tolerance, d.distanceM() + tolerance);
          }
        }
      }
      for (Driven d : unmatched) {
        softly
            .assertThat(d.mustBeDetected())
            .as("vehicle %s: driven trip %s was not detected", vehicleId, d)
            .isFalse();
      }
    }
    System.out.print(report);
    assertThat(matched).as("trips matched").isPositive();
    softly.assertAll();
  }

  /**
   * Merges driven trips across parkings shorter than a stop. A parking within {@link
   * #AMBIGUOUS_PARKING} of the minimum may or may not be seen as a stop (the samples around it fall
   * either way), so the drives next to it are ambiguous and checked no further.
   */
  static List<Driven> merge(List<TruthTrip> trips, Instant firstPing) {
    List<TruthTrip> sorted =
        trips.stream().sorted(Comparator.comparing(TruthTrip::startedAt)).toList();
    List<Driven> merged = new ArrayList<>();
    TruthTrip first = null;
    double distanceM = 0;
    boolean ambiguous = false;
    boolean previousParkingAmbiguous = false;
    for (TruthTrip trip : sorted) {
      if (first == null) {
        first = trip;
        distanceM = 0;
        ambiguous = previousParkingAmbiguous;
      }
      distanceM += trip.distanceM();
      boolean parkingAmbiguous =
          !trip.open()
              && Math.abs(trip.parkedForS() - MIN_PARKING.toSeconds())
                  <= AMBIGUOUS_PARKING.toSeconds();
      ambiguous |= parkingAmbiguous;
      boolean stopFollows = !trip.open() && trip.parkedForS() >= MIN_PARKING.toSeconds();
      if (stopFollows || trip.open() || trip == sorted.get(sorted.size() - 1)) {
        boolean afterParking =
            first.startedInRun()
                && (!merged.isEmpty()
                    || Duration.between(firstPing, first.startedAt()).compareTo(MIN_PARKING) >= 0);
        merged.add(
            new Driven(
                first.startedAt(),
                trip.endedAt(),
                distanceM,
                afterParking,
                stopFollows,
                ambiguous));
        first = null;
        previousParkingAmbiguous = parkingAmbiguous;
      }
    }
    return merged;
  }

  /**
   * How much longer the reported path is because of GPS outliers in [start, end]: for each outlier,
   * the way to it and back minus the way it skipped.
   */
  static double outlierDetourM(TreeMap<Instant, TruthPing> pings, Instant start, Instant end) {
    double detour = 0;
    for (TruthPing ping : pings.subMap(start, true, end, true).values()) {
      if (!ping.gpsJump()) {
        continue;
      }
      var before = pings.lowerEntry(ping.recordedAt());
      var after = pings.higherEntry(ping.recordedAt());
      if (before == null || after == null) {
        continue;
      }
      detour +=
          distance(before.getValue(), ping)
              + distance(ping, after.getValue())
              - distance(before.getValue(), after.getValue());
    }
    return detour;
  }

  private static double distance(TruthPing a, TruthPing b) {
    return Geo.haversineMeters(
        a.measurements().latitude(),
        a.measurements().longitude(),
        b.measurements().latitude(),
        b.measurements().longitude());
  }
}
