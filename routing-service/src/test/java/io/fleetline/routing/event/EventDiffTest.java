package io.fleetline.routing.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.Track;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which stored events a recomputed window raises and retracts, without Spring or a database. */
class EventDiffTest {

  static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");
  static final Duration SEC10 = Duration.ofSeconds(10);
  static final Duration SEC30 = Duration.ofSeconds(30);
  static final UUID VEHICLE = EventDetectorTest.VEHICLE;
  static final UUID FLEET = EventDetectorTest.FLEET;

  final EventDetector detector = new EventDetector(EventSettings.defaults());
  final TripDetector trips = new TripDetector(TripSettings.defaults());

  /**
   * Two trips with a stop between them as the live pings show it, and the pings the tracker
   * uploaded later: a loop driven while the live pings only saw it arrive and leave.
   */
  record Day(List<Sample> live, List<Sample> late) {
    List<Sample> all() {
      List<Sample> all = new ArrayList<>(live);
      all.addAll(late);
      all.sort(Comparator.comparing(Sample::recordedAt));
      return all;
    }
  }

  static Day twoTripsThatALoopMerges() {
    Track track =
        new Track(T0, 52.5, 13.4, 7)
            .park(Duration.ofMinutes(8), SEC30, 5)
            .drive(Duration.ofMinutes(6), SEC10, 45, 90)
            .park(Duration.ofMinutes(1), SEC30, 3);
    int loopFrom = track.samples().size();
    track.drive(Duration.ofMinutes(3), SEC10, 40, 0).drive(Duration.ofMinutes(3), SEC10, 40, 180);
    int loopTo = track.samples().size();
    track
        .park(Duration.ofMinutes(2), SEC30, 3)
        .drive(Duration.ofMinutes(6), SEC10, 45, 90)
        .park(Duration.ofMinutes(8), SEC30, 5);
    List<Sample> all = track.samples();
    List<Sample> live = new ArrayList<>(all.subList(0, loopFrom));
    live.addAll(all.subList(loopTo, all.size()));
    return new Day(live, all.subList(loopFrom, loopTo));
  }

  List<DetectedEvent> detect(List<Sample> samples) {
    return detector.detect(VEHICLE, FLEET, null, samples, trips.detect(samples), List.of());
  }

  static List<RaisedEvent> stored(List<DetectedEvent> events) {
    return events.stream().map(RaisedEvent::of).toList();
  }

  @Test
  void theSameHistoryRecomputedRaisesNothingAndRetractsNothing() {
    List<Sample> samples = twoTripsThatALoopMerges().live();
    List<DetectedEvent> events = detect(samples);

    EventDiff diff = EventDiff.of(events, stored(events), T0, Set.of());

    assertThat(events).hasSize(4);
    assertThat(diff.raised()).isEmpty();
    assertThat(diff.retracted()).isEmpty();
  }

  @Test
  void latePingsThatMergeTwoTripsRetractTheSecondTripAndTheFirstTripsEarlierEnd() {
    Day day = twoTripsThatALoopMerges();
    List<DetectedEvent> before = detect(day.live());
    List<DetectedEvent> after = detect(day.all());

    EventDiff diff = EventDiff.of(after, stored(before), T0, Set.of());

    DetectedEvent firstStart = before.get(0);
    assertThat(after).hasSize(2).first().isEqualTo(firstStart);
    assertThat(diff.retracted())
        .containsExactlyInAnyOrder(before.get(1).key(), before.get(2).key(), before.get(3).key());
    assertThat(before.get(1).type()).isEqualTo(VehicleEvent.TRIP_ENDED);
    // The first trip now ends where the second ended: the same key, raised again at its new end.
    assertThat(diff.raised()).containsExactly(after.get(1));
    assertThat(after.get(1).key()).isEqualTo(before.get(1).key());
    assertThat(after.get(1).at()).isEqualTo(before.get(3).at());
  }

  @Test
  void anEventWhoseAnchorTheWindowDoesNotReachIsNotRetracted() {
    Day day = twoTripsThatALoopMerges();
    List<DetectedEvent> before = detect(day.live());
    Instant secondTripStart = before.get(2).at().recordedAt();

    EventDiff diff = EventDiff.of(List.of(), stored(before), secondTripStart, Set.of());

    // The first trip's end happened before the window too, but belongs to a trip starting there.
    assertThat(diff.retracted()).containsExactly(before.get(2).key(), before.get(3).key());
  }

  @Test
  void aWindowMissingItsOwnStartRetractsNothingButStillRaises() {
    Day day = twoTripsThatALoopMerges();
    List<DetectedEvent> before = detect(day.live());
    List<DetectedEvent> after = detect(day.all());

    EventDiff diff = EventDiff.of(after, stored(before), null, Set.of());

    assertThat(diff.retracted()).isEmpty();
    assertThat(diff.raised()).containsExactly(after.get(1));
  }

  @Test
  void eventsOfADeletedGeofenceAreNotRetractedButThoseOfAnExistingOneAre() {
    UUID kept = UUID.randomUUID();
    UUID deleted = UUID.randomUUID();
    DetectedEvent inKept = geofenceEntered(kept, T0.plusSeconds(60));
    DetectedEvent inDeleted = geofenceEntered(deleted, T0.plusSeconds(60));

    EventDiff diff = EventDiff.of(List.of(), stored(List.of(inKept, inDeleted)), T0, Set.of(kept));

    assertThat(diff.retracted()).containsExactly(inKept.key());
  }

  private static DetectedEvent geofenceEntered(UUID geofence, Instant at) {
    return new DetectedEvent(
        "geofence_entered:" + VEHICLE + ":" + geofence + ":" + at,
        VehicleEvent.GEOFENCE_ENTERED,
        new Sample(at, 52.5, 13.4, 30.0, true),
        Map.of("geofenceId", geofence.toString(), "geofenceName", "depot"));
  }
}
