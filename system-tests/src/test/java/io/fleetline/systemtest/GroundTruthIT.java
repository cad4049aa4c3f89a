package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.simulator.Simulation;
import io.fleetline.simulator.truth.GroundTruth;
import io.fleetline.simulator.truth.TruthManoeuvre;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator drives the platform with every protocol, and what the platform stored is compared,
 * through the public fleet-api and the rejected topic, with what the simulator really sent and
 * drove (its ground truth).
 */
class GroundTruthIT {

  static final String PROTOCOLS = "http=1,osmand=1,mqtt=1,teltonika=1";
  static final Duration STORED_WITHIN = Duration.ofMinutes(2);

  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.shared();
  }

  @Test
  void aChaosRunIsStoredExactlyAsSentAndItsInvalidPingsRejectedWithTheirReasons() throws Exception {
    Platform.Fleet fleet = platform.newFleet("Ground truth: chaos");
    GroundTruth truth =
        simulate(
            fleet,
            "chaos --vehicles 8 --protocols "
                + PROTOCOLS
                + " --history 30m --interval 5 --invalid-ratio 0.1 --batch 50 --seed 20261126");
    assertThat(truth.invalid()).as("invalid pings sent").isNotEmpty();

    TruthChecks checks = new TruthChecks(platform, fleet, truth);
    checks.everyAcknowledgedPingIsStoredExactlyOnce(STORED_WITHIN);
    checks.everyInvalidPingIsRejectedWithItsReason(Duration.ofSeconds(30));
    checks.latestPositionsAreTheNewestPings();
    checks.tripsAndEventsAreNotDuplicated();
    TripMatching.assertTripsMatch(checks, truth);
  }

  @Test
  void hoursOfBufferedPingsUploadedLateGiveTheTripsTheVehiclesDrove() throws Exception {
    Platform.Fleet fleet = platform.newFleet("Ground truth: backfill");
    GroundTruth truth =
        simulate(
            fleet,
            "backfill --vehicles 8 --protocols "
                + PROTOCOLS
                + " --history 2h --interval 10 --batch 200 --seed 7");
    assertThat(truth.trips()).as("trips driven").hasSizeGreaterThan(8);

    TruthChecks checks = new TruthChecks(platform, fleet, truth);
    checks.everyAcknowledgedPingIsStoredExactlyOnce(STORED_WITHIN);
    checks.latestPositionsAreTheNewestPings();
    checks.tripsAndEventsAreNotDuplicated();
    TripMatching.assertTripsMatch(checks, truth);
  }

  /**
   * Trackers reporting once a second with little GPS noise (0.5 m) and the simulator's rare
   * outliers (0.2 % of the pings, 100–400 m off), so that harsh driving can be judged and distances
   * compared closely: analytics finds the idling periods, emergency stops, racing starts and turns
   * taken at speed that the vehicles really made and nothing else, and its daily summaries add up
   * to the distance really driven, the outliers left out (tolerances in {@link AnalyticsChecks}).
   * Each tracker uploads its buffer oldest first, one upload after the other, as real ones do:
   * analytics orders only pings that arrive within its reorder window (20 s of event time, a
   * fraction of a second of a backfill) and ignores stragglers, so a turn taken at speed that lost
   * two of its samples that way could not be found.
   */
  @Test
  void streamAnalyticsFindsTheIdlingAndHarshManoeuvresReallyDrivenAndNothingElse()
      throws Exception {
    Platform.Fleet fleet = platform.newFleet("Ground truth: analytics");
    GroundTruth truth =
        simulate(
            fleet,
            "backfill --vehicles 6 --protocols "
                + PROTOCOLS
                + " --history 1h --interval 1 --gps-noise-m 0.5 --gps-jump-ratio 0.002 --batch 200"
                + " --seed 20261203");
    AnalyticsChecks checks = new AnalyticsChecks(platform, fleet, truth);
    assertThat(checks.manoeuvres(TruthManoeuvre.IDLING)).as("true idling periods").isNotEmpty();
    assertThat(checks.manoeuvres(TruthManoeuvre.HARSH_BRAKING)).as("emergency stops").isNotEmpty();
    assertThat(checks.manoeuvres(TruthManoeuvre.HARSH_ACCELERATION))
        .as("racing starts")
        .isNotEmpty();
    assertThat(checks.manoeuvres(TruthManoeuvre.HARSH_CORNERING))
        .as("turns taken at speed")
        .isNotEmpty();
    assertThat(truth.pings()).as("GPS outliers sent").anyMatch(p -> p.gpsJump());

    checks.awaitEveryPingAnalyzed(STORED_WITHIN);
    checks.idlingMatchesTheTruth();
    checks.harshDrivingMatchesTheTruth();
    checks.dailyDistancesMatchTheTruth();
  }

  /**
   * Runs the simulator in-process against the platform with {@code commandLine} (mode and options,
   * as on its command line) and returns its ground truth.
   */
  static GroundTruth simulate(Platform.Fleet fleet, String commandLine) throws Exception {
    List<String> args = new ArrayList<>(List.of(commandLine.split(" ")));
    Path truthDir = Path.of("target", "truth", args.get(0) + "-" + UUID.randomUUID());
    args.addAll(List.of("--truth", truthDir.toString()));
    Simulation.Result result = Simulation.run(args, platform.simulatorSettings(fleet));
    GroundTruth truth = result.truth();
    assertThat(truth.pings()).as("valid pings sent").isNotEmpty();
    assertThat(truth.pings())
        .as("every valid ping acknowledged (the devices retry until it is)")
        .allMatch(p -> p.acknowledged());
    return truth;
  }
}
