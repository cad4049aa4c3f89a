package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;

import io.fleetline.simulator.Simulation;
import io.fleetline.simulator.truth.GroundTruth;
import io.fleetline.simulator.truth.TruthPing;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import tools.jackson.databind.JsonNode;

/**
 * The platform scaled out as production runs it: a cluster of three Kafka brokers (each also a
 * KRaft controller) holding every topic in three copies of which a write needs two, and two
 * instances of ingest-service, routing-service, analytics-service and fleet-api. Devices of every
 * protocol send through both ingest instances while a third routing instance is added, a routing,
 * an analytics and an ingest instance are killed with SIGKILL (the analytics and ingest ones come
 * back, as restarted pods do), and a broker is killed and started again. Afterwards every
 * acknowledged ping is stored exactly once, trips and events are as driven and not duplicated,
 * analytics' events, summaries and statuses agree with the stored history, and both fleet-api
 * instances answer the same.
 */
class ScaleOutIT {

  static final Platform.Shape SHAPE = new Platform.Shape(3, 2, 2, 2, 2);

  /**
   * analytics as this test needs it: a vehicle silent for 20 s is offline (10 minutes by default)
   * and a changed summary is written every 5 s (every minute), so that what the vehicles did up to
   * the end of the runs is all stored soon after; a day stays open for two days after it ended (2
   * hours), since the load runs' pings are recorded a day back. Its stream gives a killed
   * instance's partitions up 10 s after its last heartbeat (45 s), as the other services' consumers
   * do here.
   */
  static final Map<String, String> ANALYTICS =
      Map.of(
          "FLEETLINE_ANALYTICS_OFFLINE_AFTER", "20s",
          "FLEETLINE_ANALYTICS_SUMMARY_INTERVAL", "5s",
          "FLEETLINE_ANALYTICS_GRACE", "48h",
          "SPRING_KAFKA_STREAMS_PROPERTIES_SESSION_TIMEOUT_MS", "10000",
          "SPRING_KAFKA_STREAMS_PROPERTIES_HEARTBEAT_INTERVAL_MS", "3000");

  static final String PINGS = "fleetline.pings";

  /** analytics' Kafka Streams application id: its consumer group and its topics' prefix. */
  static final String ANALYTICS_GROUP = "fleetline-analytics";

  /** The changelog topics of analytics' two state stores. */
  static final List<String> ANALYTICS_CHANGELOGS =
      List.of(
          ANALYTICS_GROUP + "-vehicle-state-changelog",
          ANALYTICS_GROUP + "-day-summaries-changelog");

  /** Pings accepted (or stored) between two steps: enough that every fault lands in traffic. */
  static final int PROGRESS = 300;

  static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);

  /**
   * The longest each load run may send: the runs are finished once the steps below are done, so
   * every fault lands in traffic however slow the machine; this only bounds a run nobody finishes.
   * It also places the runs' event time (a day back: see the grace above).
   */
  static final Duration LOAD_BOUND = Duration.ofMinutes(15);

  /** How long a finished run may take to have every upload under way answered. */
  static final Duration RETRY_FOR = Duration.ofMinutes(5);

  static final String ACCEPTED = "fleetline_ingest_pings_accepted_total";
  static final String STORED = "fleetline_routing_pings_stored_total";
  static final String ASSIGNED_PARTITIONS = "kafka_consumer_coordinator_assigned_partitions";

  private final Phases phases = new Phases();

  @BeforeAll
  static void runAlone() throws Exception {
    Platform.stopShared();
  }

  @Test
  void addingAndKillingInstancesAndABrokerUnderLoadLosesNothingAndDuplicatesNothing()
      throws Exception {
    try (Platform platform = Platform.scaledOut(SHAPE, ANALYTICS);
        Admin admin =
            Admin.create(Map.of("bootstrap.servers", platform.kafka.bootstrapServers()))) {
      phases.done("start 3 brokers, 2 fleet-api, 2 ingest, 2 routing, 2 analytics");
      everyFleetlineTopicHasThreeCopiesOfWhichAWriteNeedsTwo(admin);

      Platform.Fleet fleet = platform.newFleet("Scale-out");
      // One run per ingest instance, its vehicles registered through one fleet-api instance each;
      // MQTT devices reach both ingest instances anyway, through the broker's shared subscription.
      List<LoadRun> runs = new ArrayList<>();
      List<GroundTruth> truths = new ArrayList<>();
      CompletableFuture<Void> analyticsBack = CompletableFuture.completedFuture(null);
      for (int i = 0; i < 2; i++) {
        runs.add(
            LoadRun.start(
                "scale-out-" + (i + 1),
                20261203L + i,
                platform.simulatorSettings(fleet, platform.apis.get(i), platform.ingests.get(i))));
      }
      try {
        List<ServiceProcess> ingests =
            platform.ingests.stream().map(Platform.Ingest::service).toList();
        awaitIncrease(ingests, ACCEPTED, runs);
        awaitIncrease(platform.routings, STORED, runs);
        awaitAnalyticsGroup(
            admin, runs, "both analytics instances hold partitions", members -> members == 2);
        phases.done("traffic through both ingest instances");

        ServiceProcess added = platform.addRouting();
        await(added + " is assigned partitions of the pings topic")
            .atMost(STEP_TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> Prometheus.sum(added, ASSIGNED_PARTITIONS) > 0);
        awaitIncrease(platform.routings, STORED, runs);
        phases.done("third routing instance added and assigned partitions");

        // A routing and an analytics instance at once: both wait out the session timeout of
        // their consumer group before the other instances take their partitions.
        ServiceProcess analytics1 = platform.analytics;
        Map<TopicPartition, Long> atKill = pingsEndOffsets(admin);
        kill(platform.routings.get(0), runs);
        kill(analytics1, runs);
        awaitIncrease(live(platform.routings), STORED, runs);
        awaitAnalyticsGroup(
            admin,
            runs,
            "analytics-2 alone holds every partition and analyzed every ping analytics-1 left",
            members -> members == 1 && notAnalyzedUpTo(admin, atKill).isEmpty());
        phases.done("routing-1 and analytics-1 killed, the others store and analyze on");

        // Restarted with its state directory while ingest-2 is killed and restarted.
        analyticsBack = CompletableFuture.runAsync(() -> analytics1.restart(STEP_TIMEOUT));

        ServiceProcess ingest2 = platform.ingests.get(1).service();
        kill(ingest2, runs);
        awaitIncrease(List.of(platform.ingests.get(0).service()), ACCEPTED, runs);
        ingest2.restart(STEP_TIMEOUT);
        // Its devices reconnect and resend what was not acknowledged.
        awaitIncrease(List.of(ingest2), ACCEPTED, runs);
        awaitIncrease(live(platform.routings), STORED, runs);
        phases.done("ingest-2 killed, restarted on its ports, its devices back");
        analyticsBack.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        awaitAnalyticsGroup(
            admin, runs, "analytics-1 back in the group with partitions", members -> members == 2);
        phases.done("analytics-1 restarted and holds partitions again");

        assertThat(runs)
            .as("the load runs go on when a broker is killed")
            .noneMatch(LoadRun::ended);
        platform.kafka.broker(1).kill();
        awaitIncrease(ingests, ACCEPTED, runs);
        awaitIncrease(live(platform.routings), STORED, runs);
        phases.done("broker 2 killed, two brokers take every write");
        platform.kafka.broker(1).restart();
        platform.kafka.awaitFullyReplicated(STEP_TIMEOUT);
        awaitIncrease(ingests, ACCEPTED, runs);
        awaitIncrease(live(platform.routings), STORED, runs);
        phases.done("broker 2 restarted and caught up");
        runs.forEach(LoadRun::finish);
        for (LoadRun run : runs) {
          truths.add(run.truth());
        }
        phases.done("load runs ended");
      } finally {
        // A run still going after a failure is ended, not left sending to a stopped platform,
        // and a restart under way is over before the platform stops what it started.
        runs.forEach(LoadRun::stop);
        try {
          analyticsBack.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // the failure that got here is the one to report
        }
      }
      for (GroundTruth truth : truths) {
        assertThat(truth.pings())
            .as("every ping was acknowledged in the end (devices resend until it is)")
            .isNotEmpty()
            .allMatch(TruthPing::acknowledged);
        assertThat(truth.pings().stream().map(TruthPing::protocol).collect(Collectors.toSet()))
            .as("protocols of one run's pings")
            .containsExactlyInAnyOrder("http", "osmand", "mqtt", "teltonika");
      }

      List<Executable> checks = new ArrayList<>();
      List<TruthChecks> truthChecks = new ArrayList<>();
      for (GroundTruth truth : truths) {
        TruthChecks check = new TruthChecks(platform, fleet, truth);
        truthChecks.add(check);
        checks.add(() -> check.everyAcknowledgedPingIsStoredExactlyOnce(STEP_TIMEOUT));
      }
      // Each check reports on its own, so one run shows every way the platform fell short.
      assertAll(checks);
      phases.done("every acknowledged ping stored");
      checks.clear();
      for (int i = 0; i < truths.size(); i++) {
        TruthChecks check = truthChecks.get(i);
        GroundTruth truth = truths.get(i);
        checks.add(check::latestPositionsAreTheNewestPings);
        checks.add(check::tripsAndEventsAreNotDuplicated);
        checks.add(() -> TripMatching.assertTripsMatch(check, truth));
      }
      assertAll(checks);
      phases.done("trips and events");
      checks.clear();
      List<AnalyticsChecks> analyticsChecks =
          truths.stream().map(truth -> new AnalyticsChecks(platform, fleet, truth)).toList();
      for (AnalyticsChecks check : analyticsChecks) {
        checks.add(
            () -> {
              check.awaitEveryPingAnalyzed(STEP_TIMEOUT);
              check.awaitEveryVehicleOfflineAfterItsLastPing(STEP_TIMEOUT);
            });
      }
      assertAll(checks);
      phases.done("every ping analyzed, every vehicle offline");
      checks.clear();
      for (AnalyticsChecks check : analyticsChecks) {
        checks.add(check::onlineAndOfflineAlternate);
        checks.add(check::statusesAreOfflineSinceTheLastDeviceOffline);
        checks.add(check::dailyDistancesMatchTheAcknowledgedPings);
        checks.add(check::harshCountsMatchTheHarshEvents);
      }
      assertAll(checks);
      Set<String> vehicles =
          truthChecks.stream()
              .flatMap(c -> c.vehicleIds().stream())
              .collect(Collectors.toCollection(TreeSet::new));
      bothFleetApiInstancesAnswerTheSame(platform, fleet, vehicles);
      phases.done("checks");
    } finally {
      phases.print();
    }
  }

  /**
   * The topics the services created have three copies each, and a write to any of them needs two:
   * set by the operator through the brokers' defaults and the services' topic settings. That
   * includes analytics' changelogs, which its stream creates once its group first settles.
   */
  private static void everyFleetlineTopicHasThreeCopiesOfWhichAWriteNeedsTwo(Admin admin)
      throws Exception {
    await("analytics' changelog topics created")
        .atMost(STEP_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                admin
                    .listTopics()
                    .names()
                    .get(30, TimeUnit.SECONDS)
                    .containsAll(ANALYTICS_CHANGELOGS));
    Set<String> topics =
        admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
            .filter(name -> name.startsWith("fleetline.") || name.startsWith(ANALYTICS_GROUP))
            .collect(Collectors.toSet());
    assertThat(topics)
        .contains(
            "fleetline.pings",
            "fleetline.devices",
            "fleetline.events",
            "fleetline.analytics.findings")
        .containsAll(ANALYTICS_CHANGELOGS);
    Map<String, TopicDescription> described =
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
    assertThat(described.values())
        .allSatisfy(
            topic ->
                assertThat(topic.partitions())
                    .as("copies of %s's partitions", topic.name())
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs =
        admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
    assertThat(configs)
        .allSatisfy(
            (topic, config) ->
                assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())
                    .as("min.insync.replicas of %s", topic.name())
                    .isEqualTo("2"));
  }

  /**
   * Every fleet-api instance returns the same tracks, latest positions, trips, events, daily
   * summaries and statuses.
   */
  private static void bothFleetApiInstancesAnswerTheSame(
      Platform platform, Platform.Fleet fleet, Collection<String> vehicles) {
    List<FleetReader> readers =
        platform.apis.stream().map(api -> new FleetReader(api, fleet)).toList();
    Instant from = Instant.now().minus(Duration.ofDays(3));
    Instant to = Instant.now().plus(Duration.ofDays(1));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    await("every fleet-api instance answers the same")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              List<List<JsonNode>> answers = new ArrayList<>();
              for (FleetReader reader : readers) {
                List<JsonNode> answer = new ArrayList<>(reader.events());
                for (String vehicle : vehicles) {
                  answer.addAll(reader.track(vehicle, from, to));
                  answer.addAll(reader.trips(vehicle));
                  answer.addAll(reader.summaries(vehicle, today.minusDays(1), today));
                  answer.add(reader.status(vehicle));
                  reader.position(vehicle).ifPresent(answer::add);
                }
                answers.add(answer);
              }
              assertThat(answers.get(0)).as("fleet-api-1's answers").isNotEmpty();
              assertThat(answers.get(1))
                  .as("fleet-api-2's answers equal fleet-api-1's")
                  .isEqualTo(answers.get(0));
            });
  }

  private static void kill(ServiceProcess service, List<LoadRun> runs) throws InterruptedException {
    assertThat(runs).as("the load runs go on when %s is killed", service).noneMatch(LoadRun::ended);
    service.kill();
  }

  /** A condition on analytics' group, given how many members it has. */
  @FunctionalInterface
  private interface GroupCondition {
    boolean holds(int members) throws Exception;
  }

  /**
   * Waits until every partition of the pings topic is assigned in analytics' consumer group, each
   * member holds some, and {@code condition} holds; fails early if a load run ended meanwhile.
   */
  private static void awaitAnalyticsGroup(
      Admin admin, List<LoadRun> runs, String what, GroupCondition condition) {
    await(what)
        .atMost(STEP_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (LoadRun run : runs) {
                run.assertGoingOn(what);
              }
              List<Set<Integer>> members = pingsPartitionsByMember(admin);
              Set<Integer> assigned = new TreeSet<>();
              members.forEach(assigned::addAll);
              return members.stream().noneMatch(Set::isEmpty)
                  && assigned.size() == pingsEndOffsets(admin).size()
                  && condition.holds(members.size());
            });
  }

  /** The partitions of the pings topic that each member of analytics' group is assigned. */
  private static List<Set<Integer>> pingsPartitionsByMember(Admin admin) throws Exception {
    ConsumerGroupDescription group =
        admin
            .describeConsumerGroups(List.of(ANALYTICS_GROUP))
            .all()
            .get(30, TimeUnit.SECONDS)
            .get(ANALYTICS_GROUP);
    return group.members().stream()
        .map(
            member ->
                member.assignment().topicPartitions().stream()
                    .filter(p -> p.topic().equals(PINGS))
                    .map(TopicPartition::partition)
                    .collect(Collectors.toSet()))
        .toList();
  }

  /** Where each partition of the pings topic ends now, as far as its writes are committed. */
  private static Map<TopicPartition, Long> pingsEndOffsets(Admin admin) throws Exception {
    TopicDescription pings =
        admin.describeTopics(List.of(PINGS)).allTopicNames().get(30, TimeUnit.SECONDS).get(PINGS);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    pings
        .partitions()
        .forEach(p -> latest.put(new TopicPartition(PINGS, p.partition()), OffsetSpec.latest()));
    return admin
        .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get(30, TimeUnit.SECONDS)
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  /**
   * The partitions of the pings topic whose pings up to {@code offsets} analytics has not yet
   * committed as analyzed (its group's offsets commit with its findings and state).
   */
  private static List<TopicPartition> notAnalyzedUpTo(
      Admin admin, Map<TopicPartition, Long> offsets) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(ANALYTICS_GROUP)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    return offsets.entrySet().stream()
        .filter(
            e -> {
              OffsetAndMetadata analyzed = committed.get(e.getKey());
              return (analyzed == null ? 0 : analyzed.offset()) < e.getValue();
            })
        .map(Map.Entry::getKey)
        .toList();
  }

  private static List<ServiceProcess> live(List<ServiceProcess> services) {
    return services.stream().filter(ServiceProcess::isAlive).toList();
  }

  /**
   * Waits until {@code metric}, summed over {@code services}, has grown by {@link #PROGRESS},
   * failing early if a load run ended (or failed) meanwhile.
   */
  private static void awaitIncrease(
      List<ServiceProcess> services, String metric, List<LoadRun> runs) {
    double start = sum(services, metric);
    await(services + " count " + PROGRESS + " more " + metric)
        .atMost(STEP_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (LoadRun run : runs) {
                run.assertGoingOn(metric);
              }
              return sum(services, metric) >= start + PROGRESS;
            });
  }

  /** The metric summed over the instances that answer (a killed one counts nothing). */
  private static double sum(List<ServiceProcess> services, String metric) {
    return services.stream().mapToDouble(s -> Math.max(0, Prometheus.sum(s, metric))).sum();
  }

  /**
   * A simulator load run in a thread of its own: devices of every protocol, resending what was not
   * acknowledged for longer than any outage here.
   */
  private static final class LoadRun {

    private final String name;
    private final Simulation.Running running;

    private LoadRun(String name, Simulation.Running running) {
      this.name = name;
      this.running = running;
    }

    /**
     * Precise fixes (1 m of noise, no outliers), so that detected trips compare closely with the
     * driven ones; how GPS errors are borne is GroundTruthIT's business, here only the instances
     * and brokers vary.
     */
    static LoadRun start(String name, long seed, Map<String, String> settings) throws Exception {
      Path truthDir = Path.of("target", "truth", name + "-" + UUID.randomUUID());
      List<String> args =
          List.of(
              ("load --vehicles 8 --protocols "
                      + GroundTruthIT.PROTOCOLS
                      + " --rate 50 --duration "
                      + LOAD_BOUND.toSeconds()
                      + " --interval 5 --batch 10 --concurrency 4 --gps-noise-m 1 --gps-jump-ratio 0"
                      + " --seed "
                      + seed
                      + " --retry-for "
                      + RETRY_FOR.toSeconds()
                      + " --truth "
                      + truthDir)
                  .split(" "));
      return new LoadRun(name, Simulation.start(args, settings));
    }

    boolean ended() {
      return running.isDone();
    }

    /** Fails when the run ended before it was finished, with its failure if it failed. */
    void assertGoingOn(String waitingFor) throws Exception {
      if (running.isDone()) {
        running.result(Duration.ZERO);
        throw new AssertionError(name + " ended while waiting for " + waitingFor);
      }
    }

    /** Ends the driving once every upload under way is answered; the truth then holds them all. */
    void finish() {
      running.finish();
    }

    /** Ends the driving at once, after a failure. */
    void stop() {
      running.cancel();
    }

    GroundTruth truth() throws Exception {
      return running.result(RETRY_FOR.plus(Duration.ofMinutes(5))).truth();
    }
  }

  /** Wall-clock time of each step, printed at the end for the CI budget. */
  private static final class Phases {
    private final long startNanos = System.nanoTime();
    private long lastNanos = startNanos;
    private final StringBuilder report = new StringBuilder("ScaleOutIT phases:\n");

    void done(String phase) {
      long now = System.nanoTime();
      report.append(
          String.format(
              "  %-60s %6.1f s (at %6.1f s)%n",
              phase, (now - lastNanos) / 1e9, (now - startNanos) / 1e9));
      lastNanos = now;
    }

    void print() {
      System.out.print(report);
    }
  }
}
