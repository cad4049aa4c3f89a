package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
