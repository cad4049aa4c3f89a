package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.simulator.Simulation;
import io.fleetline.simulator.truth.GroundTruth;
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
