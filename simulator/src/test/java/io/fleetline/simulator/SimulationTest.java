package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.ingest.testing.MosquittoBroker;
import io.fleetline.simulator.truth.Answers;
import io.fleetline.simulator.truth.GroundTruth;
import io.fleetline.simulator.truth.TruthInvalidPing;
import io.fleetline.simulator.truth.TruthPing;
import io.fleetline.simulator.truth.TruthTrip;
import io.fleetline.simulator.truth.TruthVehicle;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs in-process through {@link Simulation#run}, against a stub of fleet-api and ingest that
 * decides with ingest's own decoders and validator, a Teltonika listener and a real Mosquitto.
 */
class SimulationTest {

  static MosquittoBroker mosquitto;
  static StubPlatform platform;
  static MqttRecorder mqtt;

  @BeforeAll
  static void start() throws Exception {
    mosquitto = MosquittoBroker.start();
    platform = new StubPlatform(mosquitto);
    mqtt = new MqttRecorder(mosquitto.url());
  }

  @AfterAll
  static void stop() throws Exception {
    mqtt.close();
    platform.close();
    mosquitto.close();
  }

  static Simulation.Result run(Path truth, String... args) throws Exception {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--truth", truth.toString()));
    return Simulation.run(all, platform.settings(mosquitto.url()));
  }

  @Test
  void aChaosRunSendsEveryInvalidKindOverEveryProtocolAndWritesWhatItSent(@TempDir Path dir)
      throws Exception {
    int teltonikaBefore = teltonikaRecords();
    Simulation.Result result =
        run(
            dir,
            "chaos",
            "--vehicles",
            "8",
            "--protocols",
            "http=1,osmand=1,mqtt=1,teltonika=1",
            "--history",
            "15m",
            "--interval",
            "5",
            "--invalid-ratio",
            "0.25",
            "--batch",
            "30",
            "--seed",
            "11");
    GroundTruth truth = result.truth();

    assertThat(result.mode()).isEqualTo("chaos");
    assertThat(truth.vehicles()).hasSize(8);
    assertThat(
            truth.vehicles().stream()
                .collect(Collectors.groupingBy(TruthVehicle::protocol, Collectors.counting())))
        .containsOnly(
            Map.entry("http", 2L),
            Map.entry("osmand", 2L),
            Map.entry("mqtt", 2L),
            Map.entry("teltonika", 2L));
    assertThat(truth.pings()).isNotEmpty().allMatch(TruthPing::acknowledged);
    assertThat(truth.pings().size() + truth.invalid().size()).isEqualTo(8 * 180);
    assertThat(result.summary())
        .containsEntry("failed", 0L)
        .containsEntry("unexpectedRejections", 0L);

    // Every kind each protocol can carry was sent, answered as expected, and where the device is
    // told a reason it is the expected one.
    // The protocols of this run's mix (CoAP has a test of its own).
    for (Protocol protocol :
        List.of(Protocol.HTTP, Protocol.OSMAND, Protocol.MQTT, Protocol.TELTONIKA)) {
      Set<String> reasons =
          truth.invalid().stream()
              .filter(p -> p.protocol().equals(protocol.wireName()))
              .map(TruthInvalidPing::reason)
              .collect(Collectors.toSet());
      assertThat(reasons)
          .as(protocol.wireName())
          .containsExactlyInAnyOrderElementsOf(
              InvalidKind.kindsFor(protocol).stream().map(InvalidKind::reason).toList());
    }
    for (TruthInvalidPing p : truth.invalid()) {
      if (p.observedReason() != null) {
        assertThat(p.observedReason()).as(p.toString()).isEqualTo(p.reason());
      }
      assertThat(p.vehicleId() == null).isEqualTo(p.reason().equals("unknown_device"));
    }
    assertThat(truth.invalid())
        .filteredOn(p -> p.protocol().equals("osmand") && p.reason().equals("malformed"))
        .allMatch(p -> p.answer().equals(Answers.BAD_REQUEST) && !p.inRejectedTopic());

    // What the platform took is what the truth says was sent.
    for (TruthVehicle v : truth.vehicles()) {
      long sent = truth.pings().stream().filter(p -> p.vehicleId().equals(v.vehicleId())).count();
      switch (v.protocol()) {
        case "http", "osmand" -> assertThat(platform.accepted(v.vehicleId())).isEqualTo(sent);
        case "mqtt" -> {
          long invalidOnTopic =
              truth.invalid().stream().filter(p -> v.vehicleId().equals(p.vehicleId())).count();
          await()
              .atMost(Duration.ofSeconds(20))
              .untilAsserted(
                  () -> assertThat(mqtt.pings(v.identifier())).isEqualTo(sent + invalidOnTopic));
        }
        default -> {}
      }
    }
    // Teltonika: every valid and value-invalid record was acknowledged by the listener.
    long teltonikaRecords =
        truth.pings().stream().filter(p -> p.protocol().equals("teltonika")).count()
            + truth.invalid().stream()
                .filter(
                    p ->
                        p.protocol().equals("teltonika") && p.answer().equals(Answers.ACKNOWLEDGED))
                .count();
    assertThat(teltonikaRecords() - teltonikaBefore).isEqualTo((int) teltonikaRecords);
  }

  @Test
  void aBackfillUploadsHoursOfHistoryWithOriginalTimesAndTheTripsDriven(@TempDir Path dir)
      throws Exception {
    Instant before = Instant.now();
    GroundTruth truth =
        run(
                dir,
                "backfill",
                "--vehicles",
                "4",
                "--protocols",
                "http=1,teltonika=1",
                "--history",
                "3h",
                "--interval",
                "10",
                "--batch",
                "200",
                "--seed",
                "5")
            .truth();

    assertThat(truth.pings()).hasSize(4 * 1080).allMatch(TruthPing::acknowledged);
    assertThat(truth.invalid()).isEmpty();
    Instant first =
        truth.pings().stream().map(TruthPing::recordedAt).min(Instant::compareTo).orElseThrow();
    assertThat(first)
        .isBetween(before.minus(Duration.ofHours(3)), before.minus(Duration.ofMinutes(179)));
    // Every vehicle's pings were sent oldest first, ten seconds apart.
    for (TruthVehicle v : truth.vehicles()) {
      List<Instant> times =
          truth.pings().stream()
              .filter(p -> p.vehicleId().equals(v.vehicleId()))
              .map(TruthPing::recordedAt)
              .toList();
      for (int i = 1; i < times.size(); i++) {
        assertThat(Duration.between(times.get(i - 1), times.get(i)))
            .isEqualTo(Duration.ofSeconds(10));
      }
    }
    // Vehicles upload in no particular order: the file is not sorted by vehicle.
    List<String> order = truth.pings().stream().map(TruthPing::vehicleId).toList();
    assertThat(order).isNotEqualTo(order.stream().sorted().toList());
    // Three hours of driving: trips, each ending where the vehicle then parked with ignition off.
    assertThat(truth.trips()).hasSizeGreaterThanOrEqualTo(4);
    for (TruthTrip trip : truth.trips()) {
      assertThat(trip.endedAt()).isAfter(trip.startedAt());
      if (!trip.open()) {
        TruthPing parked =
            truth.pings().stream()
                .filter(
                    p ->
                        p.vehicleId().equals(trip.vehicleId())
                            && p.recordedAt().isAfter(trip.endedAt()))
                .findFirst()
                .orElse(null);
        if (parked != null
            && parked.recordedAt().isBefore(trip.endedAt().plusSeconds(trip.parkedForS()))) {
          assertThat(parked.measurements().ignition()).isFalse();
          assertThat(parked.measurements().speedKmh()).isZero();
        }
      }
    }
  }

  @Test
  void aLoadRunFinishedEarlyAnswersEveryUploadItStartedAndHasEachInItsTruth(@TempDir Path dir)
      throws Exception {
    int acceptedBefore = acceptedSoFar();
    Simulation.Running running =
        Simulation.start(
            List.of(
                "load",
                "--vehicles",
                "4",
                "--protocols",
                "http=1,osmand=1",
                "--rate",
                "400",
                "--duration",
                "3600",
                "--interval",
                "5",
                "--batch",
                "10",
                "--concurrency",
                "4",
                "--seed",
                "3",
                "--truth",
                dir.toString()),
            platform.settings(mosquitto.url()));
    try {
      await("the load run is under way")
          .atMost(Duration.ofMinutes(1))
          .until(() -> acceptedSoFar() > acceptedBefore);
      assertThat(running.isDone()).as("an hour's run still going").isFalse();
      running.finish();
      // Well before the hour: finishing does not wait for --duration.
      GroundTruth truth = running.result(Duration.ofMinutes(2)).truth();

      assertThat(truth.pings()).isNotEmpty().allMatch(TruthPing::acknowledged);
      for (TruthVehicle v : truth.vehicles()) {
        assertThat(platform.accepted(v.vehicleId()))
            .as("pings ingest took from %s, all in the truth", v.identifier())
            .isEqualTo(
                truth.pings().stream().filter(p -> p.vehicleId().equals(v.vehicleId())).count());
      }
    } finally {
      running.cancel();
    }
  }

  @Test
  void theSameSeedDrivesTheSameFleet(@TempDir Path dir) throws Exception {
    String[] args = {
      "chaos",
      "--vehicles",
      "3",
      "--protocols",
      "http",
      "--history",
      "10m",
      "--invalid-ratio",
      "0",
      "--gps-jump-ratio",
      "0",
      "--seed",
      "99"
    };
    GroundTruth a = run(dir.resolve("a"), args).truth();
    GroundTruth b = run(dir.resolve("b"), args).truth();
    assertThat(positions(a)).isEqualTo(positions(b));
    assertThat(a.trips().stream().map(TruthTrip::distanceM).toList())
        .isEqualTo(b.trips().stream().map(TruthTrip::distanceM).toList());
  }

  /** Pings the in-process ingest stand-in has accepted, of every run so far. */
  private static int acceptedSoFar() {
    return platform.accepted.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private static int teltonikaRecords() {
    return platform.teltonika.recordsPerPacket.stream().mapToInt(Integer::intValue).sum();
  }

  private static List<String> positions(GroundTruth truth) {
    List<String> ids = truth.vehicles().stream().map(TruthVehicle::vehicleId).toList();
    return truth.pings().stream()
        .sorted(
            (x, y) ->
                ids.indexOf(x.vehicleId()) != ids.indexOf(y.vehicleId())
                    ? Integer.compare(ids.indexOf(x.vehicleId()), ids.indexOf(y.vehicleId()))
                    : x.recordedAt().compareTo(y.recordedAt()))
        .map(
            p ->
                ids.indexOf(p.vehicleId())
                    + ":"
                    + p.measurements().latitude()
                    + ","
                    + p.measurements().longitude()
                    + ","
                    + p.measurements().speedKmh())
        .toList();
  }
}
