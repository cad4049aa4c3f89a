package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.fleetline.simulator.truth.GroundTruth;
import io.fleetline.simulator.truth.TruthInvalidPing;
import io.fleetline.simulator.truth.TruthPing;
import io.fleetline.simulator.truth.TruthVehicle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * Compares what the platform stored, read through fleet-api and the rejected topic, with what a
 * simulator run really sent (its ground truth).
 */
final class TruthChecks {

  /** Coordinates come back as sent: stored as double precision, never rounded. */
  static final double COORDINATE_TOLERANCE_DEG = 1e-9;

  /** Speed, heading, altitude and accuracy are stored as 4-byte floats. */
  static final double MEASURE_TOLERANCE = 0.01;

  private final Platform platform;
  private final FleetReader reader;
  private final GroundTruth truth;
  private final Map<String, TreeMap<Instant, TruthPing>> sent = new LinkedHashMap<>();
  private final Map<String, Set<Instant>> acknowledged = new LinkedHashMap<>();
  private final Instant from;
  private final Instant to;

  TruthChecks(Platform platform, Platform.Fleet fleet, GroundTruth truth) {
    this.platform = platform;
    this.reader = new FleetReader(platform, fleet);
    this.truth = truth;
    for (TruthVehicle vehicle : truth.vehicles()) {
      sent.put(vehicle.vehicleId(), new TreeMap<>());
      acknowledged.put(vehicle.vehicleId(), new HashSet<>());
    }
    for (TruthPing ping : truth.pings()) {
      sent.get(ping.vehicleId()).put(ping.recordedAt(), ping);
      if (ping.acknowledged()) {
        acknowledged.get(ping.vehicleId()).add(ping.recordedAt());
      }
    }
    Instant first =
        truth.pings().stream()
            .map(TruthPing::recordedAt)
            .min(Comparator.naturalOrder())
            .orElseThrow();
    // Wide enough to catch anything stored outside the run's time range.
    this.from = first.minus(Duration.ofDays(1));
    this.to = Instant.now().plus(Duration.ofDays(1));
  }

  FleetReader reader() {
    return reader;
  }

  Map<String, TreeMap<Instant, TruthPing>> sentByVehicle() {
    return sent;
  }

  /**
   * Waits until every acknowledged ping can be read back, then checks each vehicle's whole track:
   * every acknowledged ping is there exactly once with the values sent, and nothing is there that
   * was not sent as a valid ping.
   */
  void everyAcknowledgedPingIsStoredExactlyOnce(Duration timeout) {
    try {
      // A read fleet-api refuses for a moment (a 5xx, a connection refused) is read again at the
      // next poll; the checks below read once more and fail on any refusal.
      await("every acknowledged ping is stored")
          .atMost(timeout)
          .pollInterval(Duration.ofSeconds(2))
          .ignoreExceptionsInstanceOf(AssertionError.class)
          .until(this::everyAcknowledgedPingReadable);
    } catch (ConditionTimeoutException e) {
      // The checks below say which pings are missing, and whether they ever reached Kafka.
      reportMissing();
    }
    SoftAssertions softly = new SoftAssertions();
    for (var vehicle : sent.entrySet()) {
      String vehicleId = vehicle.getKey();
      List<JsonNode> track = readTrack(vehicleId);
      List<Instant> times =
          track.stream().map(p -> Instant.parse(p.get("recordedAt").stringValue())).toList();
      softly
          .assertThat(times)
          .as("vehicle %s: positions, ordered by recordedAt, none twice", vehicleId)
          .doesNotHaveDuplicates()
          .isSorted();
      Set<Instant> storedTimes = new HashSet<>(times);
      softly
          .assertThat(times.stream().filter(t -> !vehicle.getValue().containsKey(t)).toList())
          .as("vehicle %s: stored positions that were never sent as a valid ping", vehicleId)
          .isEmpty();
      softly
          .assertThat(
              acknowledged.get(vehicleId).stream()
                  .filter(t -> !storedTimes.contains(t))
                  .sorted()
                  .toList())
          .as(
              "vehicle %s (%s): acknowledged pings not stored, of %d",
              vehicleId, protocolOf(vehicleId), acknowledged.get(vehicleId).size())
          .isEmpty();
      for (JsonNode position : track) {
        TruthPing ping =
            vehicle.getValue().get(Instant.parse(position.get("recordedAt").stringValue()));
        if (ping != null) {
          assertSameValues(softly, position, ping);
        }
      }
    }
    softly.assertAll();
  }

  private String protocolOf(String vehicleId) {
    return protocolOf(truth, vehicleId);
  }

  /** The protocol the vehicle was driven over, {@code ?} when the truth does not know it. */
  static String protocolOf(GroundTruth truth, String vehicleId) {
    return truth.vehicles().stream()
        .filter(v -> v.vehicleId().equals(vehicleId))
        .map(TruthVehicle::protocol)
        .findFirst()
        .orElse("?");
  }

  private boolean everyAcknowledgedPingReadable() {
    for (var vehicle : acknowledged.entrySet()) {
      Set<Instant> stored = new HashSet<>();
      for (JsonNode position : readTrack(vehicle.getKey())) {
        stored.add(Instant.parse(position.get("recordedAt").stringValue()));
      }
      if (!stored.containsAll(vehicle.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Prints, per vehicle, how many acknowledged pings are not stored, when they were recorded, and
   * how many of them are on {@code fleetline.pings} (lost after Kafka) or not (lost before).
   */
  private void reportMissing() {
    Set<String> inKafka = new HashSet<>();
    for (TopicRecords.Accepted ping : TopicRecords.accepted(platform.kafka.bootstrapServers())) {
      inKafka.add(ping.vehicleId() + " " + ping.recordedAt());
    }
    Map<String, String> vehicleOfIdentifier = new HashMap<>();
    truth.vehicles().forEach(v -> vehicleOfIdentifier.put(v.identifier(), v.vehicleId()));
    Map<String, String> rejectedAs = new HashMap<>();
    for (TopicRecords.Rejected rejected :
        TopicRecords.rejected(platform.kafka.bootstrapServers())) {
      String vehicleId = vehicleOfIdentifier.getOrDefault(rejected.key(), rejected.key());
      rejected.recordedAt().forEach(t -> rejectedAs.put(vehicleId + " " + t, rejected.reason()));
    }
    StringBuilder report = new StringBuilder("Acknowledged pings not stored:\n");
    for (var vehicle : acknowledged.entrySet()) {
      String vehicleId = vehicle.getKey();
      Set<Instant> stored = new HashSet<>();
      readTrack(vehicleId)
          .forEach(p -> stored.add(Instant.parse(p.get("recordedAt").stringValue())));
      List<Instant> missing =
          vehicle.getValue().stream().filter(t -> !stored.contains(t)).sorted().toList();
      if (missing.isEmpty()) {
        continue;
      }
      long onTopic = missing.stream().filter(t -> inKafka.contains(vehicleId + " " + t)).count();
      Map<String, Long> rejections =
          missing.stream()
              .map(t -> rejectedAs.get(vehicleId + " " + t))
              .filter(reason -> reason != null)
              .collect(
                  Collectors.groupingBy(reason -> reason, TreeMap::new, Collectors.counting()));
      report.append(
          String.format(
              "  %s (%s): %d of %d missing, recorded %s..%s; %d of them on fleetline.pings,"
                  + " rejected instead: %s%n",
              vehicleId,
              protocolOf(vehicleId),
              missing.size(),
              vehicle.getValue().size(),
              missing.get(0),
              missing.get(missing.size() - 1),
              onTopic,
              rejections));
    }
    System.out.print(report);
  }

  /** Each vehicle's latest position is its newest acknowledged ping. */
  void latestPositionsAreTheNewestPings() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    for (var vehicle : sent.entrySet()) {
      String vehicleId = vehicle.getKey();
      Instant newest =
          acknowledged.get(vehicleId).stream().max(Comparator.naturalOrder()).orElse(null);
      var position = reader.position(vehicleId);
      if (newest == null) {
        softly.assertThat(position).as("vehicle %s has no position", vehicleId).isEmpty();
        continue;
      }
      softly.assertThat(position).as("vehicle %s has a position", vehicleId).isPresent();
      position.ifPresent(
          p -> {
            softly
                .assertThat(Instant.parse(p.get("recordedAt").stringValue()))
                .as("vehicle %s: latest position's recordedAt", vehicleId)
                .isEqualTo(newest);
            assertSameValues(softly, p, vehicle.getValue().get(newest));
          });
    }
    softly.assertAll();
  }

  /**
   * Every invalid ping that ingest should put on the rejected topic is there once, under its
   * vehicle (or its unknown identifier), with the reason the simulator expected; nothing else of
   * this run's vehicles is there; and where the protocol told the device a reason, it was that.
   */
  void everyInvalidPingIsRejectedWithItsReason(Duration timeout) {
    SoftAssertions softly = new SoftAssertions();
    for (TruthInvalidPing ping : truth.invalid()) {
      if (ping.observedReason() != null) {
        softly
            .assertThat(ping.observedReason())
            .as("reason told to %s device %s", ping.protocol(), ping.identifier())
            .isEqualTo(ping.reason());
      }
    }
    softly.assertAll();

    Map<String, Map<String, Long>> expected = new TreeMap<>();
    for (TruthVehicle vehicle : truth.vehicles()) {
      expected.put(vehicle.vehicleId(), new TreeMap<>());
    }
    for (TruthInvalidPing ping : truth.invalid()) {
      if (ping.inRejectedTopic()) {
        String key = ping.vehicleId() != null ? ping.vehicleId() : ping.identifier();
        expected.computeIfAbsent(key, k -> new TreeMap<>()).merge(ping.reason(), 1L, Long::sum);
      }
    }
    assertThat(
            expected.values().stream()
                .mapToLong(m -> m.values().stream().mapToLong(l -> l).sum())
                .sum())
        .as("the run sent invalid pings that reach the rejected topic")
        .isPositive();
    await("every invalid ping is on the rejected topic")
        .atMost(timeout)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Map<String, Map<String, Long>> actual = new TreeMap<>();
              expected.keySet().forEach(key -> actual.put(key, new TreeMap<>()));
              for (TopicRecords.Rejected rejected :
                  TopicRecords.rejected(platform.kafka.bootstrapServers())) {
                Map<String, Long> reasons = actual.get(rejected.key());
                if (reasons != null) {
                  reasons.merge(rejected.reason(), 1L, Long::sum);
                }
              }
              assertThat(actual).isEqualTo(expected);
            });
  }

  /**
   * No trip, and no event, is there twice, and the trip events are the trips': the feed, applied in
   * order (an {@code event_retracted} removes the event it names, which must be earlier in the feed
   * and standing, and which shows the retraction as {@code retractedBy}), leaves no event repeated
   * (by id, nor by what it is about: type, vehicle, and the trip's start or the time); a vehicle's
   * trips do not overlap; each trip has exactly one {@code trip_started} event and, once closed,
   * exactly one {@code trip_ended} (none while open); and every trip event left has its trip.
   */
  void tripsAndEventsAreNotDuplicated() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    List<JsonNode> feed =
        reader.events().stream().filter(e -> sent.containsKey(vehicleOf(e))).toList();
    softly
        .assertThat(feed.stream().map(e -> e.get("id").asLong()).toList())
        .as("event ids")
        .doesNotHaveDuplicates();
    List<JsonNode> events = applyRetractions(feed, softly);
    softly
        .assertThat(events.stream().map(TruthChecks::eventSubject).toList())
        .as("events left once retractions are applied (type, vehicle, trip start or time)")
        .doesNotHaveDuplicates();
    Set<String> subjects = new HashSet<>();
    for (String vehicleId : sent.keySet()) {
      List<JsonNode> trips = new ArrayList<>(reader.trips(vehicleId));
      trips.sort(Comparator.comparing(t -> Instant.parse(t.get("startedAt").stringValue())));
      for (int i = 0; i < trips.size(); i++) {
        JsonNode trip = trips.get(i);
        Instant start = Instant.parse(trip.get("startedAt").stringValue());
        if (i > 0) {
          softly
              .assertThat(start)
              .as("vehicle %s: trip %s starts after the previous one ended", vehicleId, i)
              .isAfterOrEqualTo(Instant.parse(trips.get(i - 1).get("endedAt").stringValue()));
        }
        String started = "trip_started " + vehicleId + " " + start;
        subjects.add(started);
        softly
            .assertThat(events.stream().filter(e -> eventSubject(e).equals(started)).count())
            .as("vehicle %s: trip_started events of the trip from %s", vehicleId, start)
            .isEqualTo(1);
        boolean open = trip.path("open").asBoolean();
        String ended = "trip_ended " + vehicleId + " " + start;
        if (!open) {
          subjects.add(ended);
        }
        softly
            .assertThat(events.stream().filter(e -> eventSubject(e).equals(ended)).count())
            .as(
                "vehicle %s: trip_ended events of the %s trip from %s",
                vehicleId, open ? "open" : "closed", start)
            .isEqualTo(open ? 0 : 1);
      }
    }
    softly
        .assertThat(
            events.stream()
                .map(TruthChecks::eventSubject)
                .filter(s -> s.startsWith("trip_") && !subjects.contains(s))
                .toList())
        .as("trip events whose trip is not there, once retractions are applied")
        .isEmpty();
    softly.assertAll();
  }

  /**
   * The events of {@code feed} (in feed order) left once each retraction has removed the event it
   * names; checks that it names an event earlier in the feed and still standing, which names it
   * back, and that the events left name no retraction.
   */
  private static List<JsonNode> applyRetractions(List<JsonNode> feed, SoftAssertions softly) {
    Map<Long, JsonNode> standing = new LinkedHashMap<>();
    for (JsonNode event : feed) {
      long id = event.get("id").asLong();
      if (!"event_retracted".equals(event.get("type").stringValue())) {
        standing.put(id, event);
        continue;
      }
      long retractedId = event.path("details").path("retractedId").asLong();
      JsonNode retracted = standing.remove(retractedId);
      softly
          .assertThat(retracted)
          .as("retraction %s names a standing event earlier in the feed (%s)", id, retractedId)
          .isNotNull();
      if (retracted != null) {
        softly
            .assertThat(retracted.path("retractedBy").asLong())
            .as("event %s names its retraction", retractedId)
            .isEqualTo(id);
        softly
            .assertThat(retracted.get("type").stringValue())
            .as("retraction %s: the retracted type", id)
            .isEqualTo(event.path("details").path("retractedType").stringValue());
      }
    }
    for (JsonNode event : standing.values()) {
      JsonNode retractedBy = event.get("retractedBy");
      softly
          .assertThat(retractedBy == null || retractedBy.isNull())
          .as(
              "event %s is retracted by %s, which the feed does not have",
              event.get("id"), retractedBy)
          .isTrue();
    }
    return new ArrayList<>(standing.values());
  }

  private static String vehicleOf(JsonNode event) {
    JsonNode vehicle = event.get("vehicleId");
    return vehicle == null || vehicle.isNull() ? null : vehicle.stringValue();
  }

  /** What an event is about: its type, vehicle, and the trip's start (trip events) or its time. */
  private static String eventSubject(JsonNode event) {
    JsonNode tripStart = event.path("details").get("tripStartedAt");
    String when =
        tripStart != null && !tripStart.isNull()
            ? Instant.parse(tripStart.stringValue()).toString()
            : Instant.parse(event.get("occurredAt").stringValue()).toString();
    return event.get("type").stringValue()
        + " "
        + event.get("vehicleId").stringValue()
        + " "
        + when;
  }

  List<JsonNode> readTrack(String vehicleId) {
    try {
      return reader.track(vehicleId, from, to);
    } catch (Exception e) {
      throw new AssertionError("cannot read the track of " + vehicleId, e);
    }
  }

  Set<String> vehicleIds() {
    return sent.keySet();
  }

  private static void assertSameValues(SoftAssertions softly, JsonNode position, TruthPing ping) {
    String what = ping.protocol() + " ping of " + ping.vehicleId() + " at " + ping.recordedAt();
    softly
        .assertThat(position.get("latitude").doubleValue())
        .as("%s: latitude", what)
        .isCloseTo(ping.measurements().latitude(), within(COORDINATE_TOLERANCE_DEG));
    softly
        .assertThat(position.get("longitude").doubleValue())
        .as("%s: longitude", what)
        .isCloseTo(ping.measurements().longitude(), within(COORDINATE_TOLERANCE_DEG));
    assertMeasure(softly, position, "speedKmh", ping.measurements().speedKmh(), what);
    assertMeasure(softly, position, "headingDeg", ping.measurements().headingDeg(), what);
    assertMeasure(softly, position, "altitudeM", ping.measurements().altitudeM(), what);
    assertMeasure(softly, position, "accuracyM", ping.measurements().accuracyM(), what);
    JsonNode ignition = position.get("ignition");
    softly
        .assertThat(ignition == null || ignition.isNull() ? null : ignition.booleanValue())
        .as("%s: ignition", what)
        .isEqualTo(ping.measurements().ignition());
  }

  private static void assertMeasure(
      SoftAssertions softly, JsonNode position, String field, Double sent, String what) {
    JsonNode stored = position.get(field);
    if (sent == null) {
      softly
          .assertThat(stored == null || stored.isNull())
          .as("%s: %s not sent, none stored (%s)", what, field, stored)
          .isTrue();
    } else {
      softly
          .assertThat(stored == null || stored.isNull() ? null : stored.doubleValue())
          .as("%s: %s", what, field)
          .isNotNull()
          .isCloseTo(sent, within(MEASURE_TOLERANCE));
    }
  }
}
