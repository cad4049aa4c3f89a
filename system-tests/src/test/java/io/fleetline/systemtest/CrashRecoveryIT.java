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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crashes in the middle of a load run: routing-service, then ingest-service, then the Kafka broker
 * are killed with SIGKILL and started again while devices of every protocol keep sending (and
 * resending what was not acknowledged, as trackers do). Afterwards nothing acknowledged is lost and
 * nothing is stored twice.
 */
class CrashRecoveryIT {

  /** Accepted pings between two faults: enough that every fault lands in flowing traffic. */
  static final int PROGRESS = 400;

  static final Duration RESTART_TIMEOUT = Duration.ofMinutes(3);

  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.shared();
  }

  @Test
  void killingRoutingIngestAndTheBrokerMidLoadLosesNothingAndDuplicatesNothing() throws Exception {
    Platform.Fleet fleet = platform.newFleet("Crash recovery");
    Path truthDir = Path.of("target", "truth", "crash-recovery-" + UUID.randomUUID());
    ExecutorService runner = Executors.newSingleThreadExecutor();
    Future<Simulation.Result> load =
        runner.submit(
            () ->
                Simulation.run(
                    List.of(
                        ("load --vehicles 16 --protocols "
                                + GroundTruthIT.PROTOCOLS
                                + " --rate 150 --duration 150 --interval 5 --batch 10"
                                + " --concurrency 8 --seed 11"
                                // Longer than any outage below: pings are resent until
                                // acknowledged.
                                + " --retry-for 300 --truth "
                                + truthDir)
                            .split(" ")),
                    platform.simulatorSettings(fleet)));
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

      assertThat(load).as("the load run is still going when the broker is killed").isNotDone();
      platform.killBroker();
      platform.restartBroker();
      awaitAcceptedByIngest(PROGRESS, load);
      awaitStoredByRouting(PROGRESS, load);

      GroundTruth truth = load.get(5, TimeUnit.MINUTES).truth();
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
      runner.shutdownNow();
      // Leave the shared platform whole for the tests after this one.
      platform.restoreAfterFaults(RESTART_TIMEOUT);
    }
  }

  private static void crash(ServiceProcess service, Future<?> load) throws InterruptedException {
    assertThat(load).as("the load run is still going when %s is killed", service).isNotDone();
    service.kill();
  }

  /** Waits until ingest has accepted {@code pings} more pings than now (since its start). */
  private static void awaitAcceptedByIngest(int pings, Future<?> load) {
    awaitCounter(platform.ingest, "fleetline_ingest_pings_accepted_total", pings, load);
  }

  private static void awaitStoredByRouting(int pings, Future<?> load) {
    awaitCounter(platform.routing, "fleetline_routing_pings_stored_total", pings, load);
  }

  private static void awaitCounter(
      ServiceProcess service, String metric, int increase, Future<?> load) {
    double start = Math.max(0, Prometheus.sum(service, metric));
    await(service + " counts " + increase + " more " + metric)
        .atMost(RESTART_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              if (load.isDone()) {
                load.get(); // surfaces the run's failure, if any
                throw new AssertionError("the load run ended before " + metric + " grew");
              }
              return Prometheus.sum(service, metric) >= start + increase;
            });
  }
}
