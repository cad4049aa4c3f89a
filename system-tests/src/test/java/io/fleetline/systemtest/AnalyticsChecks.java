package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.Geo;
import io.fleetline.common.VehicleEvent;
import io.fleetline.simulator.truth.GroundTruth;
import io.fleetline.simulator.truth.TruthManoeuvre;
import io.fleetline.simulator.truth.TruthPing;
import io.fleetline.simulator.truth.TruthTrip;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import tools.jackson.databind.JsonNode;

/**
 * What stream analytics found (idling, harsh braking, acceleration and cornering, daily summaries)
 * against the manoeuvres the simulated vehicles really made and the distance they really drove,
 * within stated tolerances. The run must report once a second: harsh driving is judged only between
 * samples at most 5 s apart and needs two consecutive intervals beyond its threshold.
 */
final class AnalyticsChecks {

  /** analytics-service's default {@code idle-after}. */
  static final Duration IDLE_AFTER = Duration.ofMinutes(5);

  /**
   * An idling event's start and end may be this far from the true moments: the first ping after the
   * ignition went on (or after pulling away) comes within one interval (1 s), plus a second for the
   * quantised times of the protocols.
   */
  static final Duration IDLING_TOLERANCE = Duration.ofSeconds(3);

  /**
   * A harsh event is stamped with the first sample of its first judged interval, so it lies within
   * the true episode widened by this much on either side (one interval and a second).
   */
  static final Duration HARSH_TOLERANCE = Duration.ofSeconds(2);

  /**
   * A true harsh episode at least this long must be found: it then spans two whole one-second
   * intervals beyond the threshold whatever the sampling phase. Shorter ones may or may not be.
   */
  static final Duration HARSH_MUST_BE_FOUND = Duration.ofSeconds(3);

  /** Harsh or idling events where the vehicles made no such manoeuvre: none allowed. */
  static final int MAX_FALSE_POSITIVES = 0;

  /**
   * A vehicle's summed daily distances against its true distance: 2 %, or 50 m when it hardly
   * drove.
   */
  static final double DISTANCE_TOLERANCE_RATIO = 0.02;

  static final double DISTANCE_TOLERANCE_M = 50;

  /** analytics-service's default {@code moving-speed-kmh}: a sample at least this fast drives. */
  static final double MOVING_SPEED_KMH = 5;

  /**
   * How much shorter than its pings' distance a vehicle's summaries may be when devices resent
   * pings after outages: a ping that reaches analytics after a newer one of its vehicle was applied
   * (beyond the reorder window) is left out of the summary, and the straight line over the gap is
   * shorter than the road.
   */
  static final double LATE_PINGS_ALLOWANCE_RATIO = 0.10;

  private static final List<String> HARSH =
      List.of(
          TruthManoeuvre.HARSH_BRAKING,
          TruthManoeuvre.HARSH_ACCELERATION,
          TruthManoeuvre.HARSH_CORNERING);

  private final FleetReader reader;
  private final GroundTruth truth;
  private final Map<String, Instant> lastPing = new HashMap<>();
  private final Map<String, Instant> firstPing = new HashMap<>();

  AnalyticsChecks(Platform platform, Platform.Fleet fleet, GroundTruth truth) {
    this.reader = new FleetReader(platform, fleet);
    this.truth = truth;
    for (TruthPing ping : truth.acknowledgedPings()) {
      lastPing.merge(ping.vehicleId(), ping.recordedAt(), (a, b) -> a.isAfter(b) ? a : b);
      firstPing.merge(ping.vehicleId(), ping.recordedAt(), (a, b) -> a.isBefore(b) ? a : b);
    }
  }

  /**
   * Waits until every vehicle's summaries reach its last ping: analytics then applied every ping,
   * and the events found on the way were written before those summaries.
   */
  void awaitEveryPingAnalyzed(Duration timeout) {
    await("every vehicle's summary reaching its last ping")
        .atMost(timeout)
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              for (Map.Entry<String, Instant> last : lastPing.entrySet()) {
                List<JsonNode> days = summaries(last.getKey());
                assertThat(days).as("summaries of %s", last.getKey()).isNotEmpty();
                assertThat(Instant.parse(days.get(days.size() - 1).get("lastAt").stringValue()))
                    .as("last sample summarized of %s", last.getKey())
                    .isEqualTo(last.getValue());
              }
            });
  }

  /**
   * Every true idling period longer than {@code idle-after} (by more than the tolerance) is found,
   * started and ended within {@link #IDLING_TOLERANCE}; every idling found is a true one.
   */
  void idlingMatchesTheTruth() throws Exception {
    List<JsonNode> started = events("idling_started");
    List<JsonNode> ended = events("idling_ended");
    List<TruthManoeuvre> idlings = manoeuvres(TruthManoeuvre.IDLING);
    SoftAssertions soft = new SoftAssertions();
    int falsePositives = 0;
    for (JsonNode event : started) {
      boolean matches =
          idlings.stream()
              .anyMatch(
                  m ->
                      m.vehicleId().equals(vehicle(event))
                          && near(occurredAt(event), m.startedAt(), IDLING_TOLERANCE));
      if (!matches) {
        falsePositives++;
        soft.fail("idling_started without a true idling: %s", event);
      }
    }
    for (TruthManoeuvre m : idlings) {
      Duration length = Duration.between(m.startedAt(), m.endedAt());
      if (length.compareTo(IDLE_AFTER.plus(IDLING_TOLERANCE)) <= 0) {
        continue; // not long enough to be sure it must be found
      }
      soft.assertThat(
              started.stream()
                  .filter(e -> vehicle(e).equals(m.vehicleId()))
                  .anyMatch(e -> near(occurredAt(e), m.startedAt(), IDLING_TOLERANCE)))
          .as("idling_started for %s", m)
          .isTrue();
      if (!m.open()) {
        soft.assertThat(
                ended.stream()
                    .filter(e -> vehicle(e).equals(m.vehicleId()))
                    .anyMatch(e -> near(occurredAt(e), m.endedAt(), IDLING_TOLERANCE)))
            .as("idling_ended for %s", m)
            .isTrue();
      }
    }
    soft.assertThat(falsePositives)
        .as("idling false positives")
        .isLessThanOrEqualTo(MAX_FALSE_POSITIVES);
    soft.assertAll();
  }

  /**
   * Every true harsh episode of at least {@link #HARSH_MUST_BE_FOUND} is found with its type (a
   * cornering with its direction), and every harsh event found lies within a true episode of its
   * type and direction (± {@link #HARSH_TOLERANCE}).
   */
  void harshDrivingMatchesTheTruth() throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (String type : HARSH) {
      found.addAll(events(type));
    }
    SoftAssertions soft = new SoftAssertions();
    int falsePositives = 0;
    for (JsonNode event : found) {
      String type = event.get("type").stringValue();
      boolean matches = manoeuvres(type).stream().anyMatch(m -> sameManoeuvre(event, m));
      if (!matches) {
        falsePositives++;
        soft.fail("%s without a true manoeuvre: %s", type, event);
      }
    }
    for (String type : HARSH) {
      for (TruthManoeuvre m : manoeuvres(type)) {
        if (Duration.between(m.startedAt(), m.endedAt()).compareTo(HARSH_MUST_BE_FOUND) < 0) {
          continue;
        }
        soft.assertThat(
                found.stream()
                    .filter(e -> e.get("type").stringValue().equals(type))
                    .anyMatch(e -> sameManoeuvre(e, m)))
            .as("%s found for %s", type, m)
            .isTrue();
      }
    }
    soft.assertThat(falsePositives)
        .as("harsh false positives")
        .isLessThanOrEqualTo(MAX_FALSE_POSITIVES);
    soft.assertAll();
  }

  /**
   * Each vehicle's daily distances add up to the distance it really drove within {@link
   * #DISTANCE_TOLERANCE_RATIO} (or {@link #DISTANCE_TOLERANCE_M}).
   */
  void dailyDistancesMatchTheTruth() throws Exception {
    Map<String, Double> driven =
        truth.trips().stream()
            .collect(
                Collectors.groupingBy(
                    TruthTrip::vehicleId, Collectors.summingDouble(TruthTrip::distanceM)));
    SoftAssertions soft = new SoftAssertions();
    for (String vehicleId : lastPing.keySet()) {
      double summarized =
          summaries(vehicleId).stream().mapToDouble(d -> d.get("distanceM").asDouble()).sum();
      double trueM = driven.getOrDefault(vehicleId, 0.0);
      double tolerance = Math.max(DISTANCE_TOLERANCE_M, trueM * DISTANCE_TOLERANCE_RATIO);
      soft.assertThat(summarized)
          .as("summarized distance of %s (truth %.1f m)", vehicleId, trueM)
          .isBetween(trueM - tolerance, trueM + tolerance);
    }
    soft.assertAll();
  }

  /**
   * Waits until each vehicle's latest change of online state is a {@code device_offline} after its
   * last ping: analytics saw every vehicle fall silent once the run ended. Needs an {@code
   * offline-after} far shorter than the default's 10 minutes.
   */
  void awaitEveryVehicleOfflineAfterItsLastPing(Duration timeout) {
    await("every vehicle offline after its last ping")
        .atMost(timeout)
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              Map<String, List<JsonNode>> changes = onlineChanges();
              for (Map.Entry<String, Instant> last : lastPing.entrySet()) {
                List<JsonNode> vehicle = changes.getOrDefault(last.getKey(), List.of());
                assertThat(vehicle).as("online changes of %s", last.getKey()).isNotEmpty();
                JsonNode latest = vehicle.get(vehicle.size() - 1);
                assertThat(latest.get("type").stringValue())
                    .as("latest online change of %s", last.getKey())
                    .isEqualTo(VehicleEvent.DEVICE_OFFLINE);
                assertThat(Instant.parse(latest.path("details").path("lastRecordedAt").asString()))
                    .as("last ping of %s before it went offline", last.getKey())
                    .isEqualTo(last.getValue());
              }
            });
  }

  /**
   * Each vehicle went offline and came back online by turns, starting offline, never twice the same
   * way in a row: whichever instance analyzed a vehicle carried on from the state the one before it
   * had committed, neither starting the vehicle afresh nor saying again what was already said. (A
   * vehicle may go offline during the run, while its device cannot reach a stopped ingest.)
   */
  void onlineAndOfflineAlternate() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    for (Map.Entry<String, List<JsonNode>> vehicle : onlineChanges().entrySet()) {
      List<String> types =
          vehicle.getValue().stream().map(e -> e.get("type").stringValue()).toList();
      List<String> byTurns = new ArrayList<>();
      for (int i = 0; i < types.size(); i++) {
        byTurns.add(i % 2 == 0 ? VehicleEvent.DEVICE_OFFLINE : VehicleEvent.DEVICE_ONLINE);
      }
      soft.assertThat(types)
          .as("online changes of %s, oldest first: %s", vehicle.getKey(), vehicle.getValue())
          .isEqualTo(byTurns);
    }
    soft.assertAll();
  }

  /**
   * Each vehicle's status is offline since its last {@code device_offline}, last heard as that
   * event says, and its latest position is its last ping.
   */
  void statusesAreOfflineSinceTheLastDeviceOffline() throws Exception {
    Map<String, List<JsonNode>> changes = onlineChanges();
    SoftAssertions soft = new SoftAssertions();
    for (Map.Entry<String, Instant> last : lastPing.entrySet()) {
      List<JsonNode> vehicle = changes.getOrDefault(last.getKey(), List.of());
      if (vehicle.isEmpty()) {
        soft.fail("%s never went offline", last.getKey());
        continue;
      }
      JsonNode offline = vehicle.get(vehicle.size() - 1);
      JsonNode status = reader.status(last.getKey());
      soft.assertThat(status.get("status").stringValue())
          .as("status of %s", last.getKey())
          .isEqualTo("offline");
      soft.assertThat(Instant.parse(status.get("since").stringValue()))
          .as("%s offline since", last.getKey())
          .isEqualTo(occurredAt(offline));
      soft.assertThat(Instant.parse(status.get("lastHeardAt").stringValue()))
          .as("%s last heard at", last.getKey())
          .isEqualTo(Instant.parse(offline.path("details").path("lastHeardAt").asString()));
      soft.assertThat(Instant.parse(status.get("latestPositionAt").stringValue()))
          .as("%s latest position at", last.getKey())
          .isEqualTo(last.getValue());
    }
    soft.assertAll();
  }

  /**
   * Each vehicle's daily distances add up to no more than the distance between its consecutive
   * acknowledged pings where it drove (at least one of the two at {@link #MOVING_SPEED_KMH}), plus
   * {@link #DISTANCE_TOLERANCE_RATIO} (or {@link #DISTANCE_TOLERANCE_M}): no stretch is counted
   * twice. Meant for pings a few seconds apart, where the straight lines between fixes fall short
   * of the true road distance at every turn.
   *
   * <p>Pings that reach analytics late are left out of the summary (they are in the history), which
   * only shortens it. A vehicle sending through HTTP, OsmAnd or Teltonika reaches one ingest
   * instance, and its summaries must reach the pings' distance less {@link
   * #LATE_PINGS_ALLOWANCE_RATIO} and the tolerance. An MQTT vehicle has no such floor: with several
   * ingest instances the broker's shared subscription hands its consecutive messages to different
   * instances, and those a stopped instance held reach analytics only once it is back, after newer
   * ones.
   */
  void dailyDistancesMatchTheAcknowledgedPings() throws Exception {
    Map<String, Map<Instant, TruthPing>> pings = new HashMap<>();
    for (TruthPing ping : truth.acknowledgedPings()) {
      pings.computeIfAbsent(ping.vehicleId(), v -> new TreeMap<>()).put(ping.recordedAt(), ping);
    }
    SoftAssertions soft = new SoftAssertions();
    for (Map.Entry<String, Map<Instant, TruthPing>> vehicle : pings.entrySet()) {
      double drivenM = 0;
      TruthPing previous = null;
      boolean mqtt = protocolOf(vehicle.getKey()).equals("mqtt");
      for (TruthPing ping : vehicle.getValue().values()) {
        if (previous != null && (moving(previous) || moving(ping))) {
          drivenM +=
              Geo.haversineMeters(
                  previous.measurements().latitude(),
                  previous.measurements().longitude(),
                  ping.measurements().latitude(),
                  ping.measurements().longitude());
        }
        previous = ping;
      }
      double summarized =
          summaries(vehicle.getKey()).stream()
              .mapToDouble(d -> d.get("distanceM").asDouble())
              .sum();
      double tolerance = Math.max(DISTANCE_TOLERANCE_M, drivenM * DISTANCE_TOLERANCE_RATIO);
      soft.assertThat(summarized)
          .as("summarized distance of %s (pings %.1f m)", vehicle.getKey(), drivenM)
          .isBetween(
              mqtt ? 0 : drivenM * (1 - LATE_PINGS_ALLOWANCE_RATIO) - tolerance,
              drivenM + tolerance);
    }
    soft.assertAll();
  }

  /** Each vehicle's daily harsh counts add up to its stored harsh events of each kind. */
  void harshCountsMatchTheHarshEvents() throws Exception {
    Map<String, String> counts =
        Map.of(
            TruthManoeuvre.HARSH_BRAKING, "harshBrakingCount",
            TruthManoeuvre.HARSH_ACCELERATION, "harshAccelerationCount",
            TruthManoeuvre.HARSH_CORNERING, "harshCorneringCount");
    Map<String, List<JsonNode>> found = new HashMap<>();
    for (String type : HARSH) {
      found.put(type, events(type));
    }
    SoftAssertions soft = new SoftAssertions();
    for (String vehicleId : lastPing.keySet()) {
      List<JsonNode> days = summaries(vehicleId);
      for (String type : HARSH) {
        soft.assertThat(days.stream().mapToLong(d -> d.get(counts.get(type)).asLong()).sum())
            .as("%s of %s in its summaries", counts.get(type), vehicleId)
            .isEqualTo(found.get(type).stream().filter(e -> vehicle(e).equals(vehicleId)).count());
      }
    }
    soft.assertAll();
  }

  /**
   * The {@code device_online} and {@code device_offline} events of this run's vehicles, by vehicle,
   * oldest first.
   */
  private Map<String, List<JsonNode>> onlineChanges() throws Exception {
    Map<String, List<JsonNode>> changes = new TreeMap<>();
    for (JsonNode event : reader.events()) {
      String type = event.get("type").stringValue();
      if ((type.equals(VehicleEvent.DEVICE_OFFLINE) || type.equals(VehicleEvent.DEVICE_ONLINE))
          && lastPing.containsKey(vehicle(event))) {
        changes.computeIfAbsent(vehicle(event), v -> new ArrayList<>()).add(event);
      }
    }
    Comparator<JsonNode> oldestFirst =
        Comparator.comparing(AnalyticsChecks::occurredAt)
            .thenComparingLong(e -> e.get("id").asLong());
    changes.values().forEach(list -> list.sort(oldestFirst));
    return changes;
  }

  private String protocolOf(String vehicleId) {
    return TruthChecks.protocolOf(truth, vehicleId);
  }

  private static boolean moving(TruthPing ping) {
    Double speed = ping.measurements().speedKmh();
    return speed != null && speed >= MOVING_SPEED_KMH;
  }

  List<TruthManoeuvre> manoeuvres(String kind) {
    return truth.manoeuvres().stream()
        .filter(m -> m.kind().equals(kind))
        .sorted(Comparator.comparing(TruthManoeuvre::startedAt))
        .toList();
  }

  private List<JsonNode> summaries(String vehicleId) throws Exception {
    return reader.summaries(
        vehicleId,
        LocalDate.ofInstant(firstPing.get(vehicleId), ZoneOffset.UTC),
        LocalDate.ofInstant(lastPing.get(vehicleId), ZoneOffset.UTC));
  }

  private List<JsonNode> events(String type) throws Exception {
    return reader.events().stream().filter(e -> e.get("type").stringValue().equals(type)).toList();
  }

  /**
   * Whether a harsh event is the true manoeuvre {@code m} (of its type): the same vehicle, within
   * its time, and a cornering to the same side.
   */
  private static boolean sameManoeuvre(JsonNode event, TruthManoeuvre m) {
    boolean sameSide =
        m.direction() == null
            || m.direction().equals(event.path("details").path("direction").asString(""));
    return m.vehicleId().equals(vehicle(event)) && within(occurredAt(event), m) && sameSide;
  }

  private static boolean within(Instant at, TruthManoeuvre m) {
    return !at.isBefore(m.startedAt().minus(HARSH_TOLERANCE))
        && !at.isAfter(m.endedAt().plus(HARSH_TOLERANCE));
  }

  private static boolean near(Instant a, Instant b, Duration tolerance) {
    return Duration.between(a, b).abs().compareTo(tolerance) <= 0;
  }

  private static String vehicle(JsonNode event) {
    return event.get("vehicleId").stringValue();
  }

  private static Instant occurredAt(JsonNode event) {
    return Instant.parse(event.get("occurredAt").stringValue());
  }
}
