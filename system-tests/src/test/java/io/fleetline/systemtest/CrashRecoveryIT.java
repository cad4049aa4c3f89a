package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;

import io.fleetline.simulator.Simulation;
import io.fleetline.simulator.truth.GroundTruth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crashes in the middle of a load run: routing-service, then ingest-service, then the Kafka broker
 * are killed with SIGKILL and started again while devices of every protocol keep sending (and
 * resending what was not acknowledged, as trackers do), until every fault is behind. Afterwards
 * nothing acknowledged is lost and nothing is stored twice.
 */
class CrashRecoveryIT {

  /** Accepted pings between two faults: enough that every fault lands in flowing traffic. */
  static final int PROGRESS = 400;

  static final Duration RESTART_TIMEOUT = Duration.ofMinutes(3);

  /**
   * Bounds the load run should the test hang: the run is finished once the faults are done, however
   * long a slow machine takes over them.
   */
  static final Duration LOAD_BOUND = Duration.ofHours(1);

  /** How long devices resend what was not acknowledged: longer than any outage below. */
  static final Duration RETRY_FOR = Duration.ofMinutes(5);

  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.shared();
  }

  @Test
  void killingRoutingIngestAndTheBrokerMidLoadLosesNothingAndDuplicatesNothing() throws Exception {
    Platform.Fleet fleet = platform.newFleet("Crash recovery");
    Path truthDir = Path.of("target", "truth", "crash-recovery-" + UUID.randomUUID());
    Simulation.Running load =
        Simulation.start(
            List.of(
                ("load --vehicles 16 --protocols "
                        + GroundTruthIT.PROTOCOLS
                        + " --rate 150 --duration "
                        + LOAD_BOUND.toSeconds()
                        + " --interval 5 --batch 10 --concurrency 8 --seed 11 --retry-for "
                        + RETRY_FOR.toSeconds()
                        + " --truth "
                        + truthDir)
                    .split(" ")),
            platform.simulatorSettings(fleet));
    try {
      awaitAcceptedByIngest(PROGRESS, load);

      crash(platform.routing, load);
      awaitAcceptedByIngest(PROGRESS, load); // ingest takes pings while routing is away
      platform.routing.restart(RESTART_TIMEOUT);
      awaitStoredByRouting(PROGRESS, load);

      crash(platform.ingest, load);
      platform.ingest.restart(RESTART_TIMEOUT);
      awaitAcceptedByIngest(PROGRESS, load);
      awaitStoredByRouting(PROGRESS, load);

      assertThat(load.isDone())
          .as("the load run is still going when the broker is killed")
          .isFalse();
      platform.killBroker();
      platform.restartBroker();
      awaitAcceptedByIngest(PROGRESS, load);
      awaitStoredByRouting(PROGRESS, load);

      // Every fault is behind: the devices stop sending once what they sent is acknowledged.
      load.finish();
      GroundTruth truth = load.result(RETRY_FOR.plus(Duration.ofMinutes(5))).truth();
      assertThat(truth.pings())
          .as("every ping was acknowledged in the end (devices resend until it is)")
          .isNotEmpty()
          .allMatch(p -> p.acknowledged());

      TruthChecks checks = new TruthChecks(platform, fleet, truth);
      // Each check reports on its own, so one run shows every way the platform fell short.
      assertAll(
          () -> checks.everyAcknowledgedPingIsStoredExactlyOnce(Duration.ofMinutes(4)),
          checks::latestPositionsAreTheNewestPings,
          checks::tripsAndEventsAreNotDuplicated);
    } finally {
      // A run still going after a failure ends, rather than send to the platform for an hour.
      load.cancel();
      // Leave the shared platform whole for the tests after this one.
      platform.restoreAfterFaults(RESTART_TIMEOUT);
    }
  }

  private static void crash(ServiceProcess service, Simulation.Running load)
      throws InterruptedException {
    assertThat(load.isDone())
        .as("the load run is still going when %s is killed", service)
        .isFalse();
    service.kill();
  }

  /** Waits until ingest has accepted {@code pings} more pings than now (since its start). */
  private static void awaitAcceptedByIngest(int pings, Simulation.Running load) {
    awaitCounter(platform.ingest, "fleetline_ingest_pings_accepted_total", pings, load);
  }

  private static void awaitStoredByRouting(int pings, Simulation.Running load) {
    awaitCounter(platform.routing, "fleetline_routing_pings_stored_total", pings, load);
  }

  private static void awaitCounter(
      ServiceProcess service, String metric, int increase, Simulation.Running load) {
    double start = Math.max(0, Prometheus.sum(service, metric));
    await(service + " counts " + increase + " more " + metric)
        .atMost(RESTART_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              if (load.isDone()) {
                load.result(Duration.ZERO); // surfaces the run's failure, if any
                throw new AssertionError("the load run ended before " + metric + " grew");
              }
              return Prometheus.sum(service, metric) >= start + increase;
            });
  }
}
