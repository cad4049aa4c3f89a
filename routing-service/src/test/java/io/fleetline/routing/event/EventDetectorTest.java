package io.fleetline.routing.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.geofence.Geofence;
import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.Track;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event rules without Spring or a database. */
class EventDetectorTest {

  static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");
  static final Duration SEC10 = Duration.ofSeconds(10);
  static final UUID VEHICLE = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
  static final UUID FLEET = UUID.fromString("00000000-0000-0000-0000-0000000000ff");

  final EventDetector detector = new EventDetector(EventSettings.defaults());

  static Geofence circle(double lat, double lon, double radiusM, Double limit, int dwellS) {
    return new Geofence(
        UUID.nameUUIDFromBytes(("c" + lat + lon).getBytes()),
        FLEET,
        "circle",
        List.of(),
        lat,
        lon,
        radiusM,
        limit,
        dwellS);
  }

  static Geofence square(double south, double west, double north, double east, Double limit) {
    double[][] ring = {{west, south}, {east, south}, {east, north}, {west, north}, {west, south}};
    return new Geofence(
        UUID.nameUUIDFromBytes(("p" + south + west).getBytes()),
        FLEET,
        "square",
        List.<double[][]>of(ring),
        null,
        null,
        null,
        limit,
        0);
  }

  List<DetectedEvent> detect(List<Sample> samples, List<Geofence> geofences) {
    Detection trips = new TripDetector(TripSettings.defaults()).detect(samples);
    return detector.detect(VEHICLE, FLEET, null, samples, trips, geofences);
  }

  static List<String> types(List<DetectedEvent> events) {
    return events.stream().map(DetectedEvent::type).toList();
  }

  static List<DetectedEvent> geofenceEvents(List<DetectedEvent> events) {
    return events.stream().filter(e -> e.type().startsWith("geofence_")).toList();
  }

  @Test
  void aTripBetweenParkingsRaisesStartedAndEnded() {
    List<Sample> samples =
        new Track(T0, 52.5, 13.4, 1)
            .park(Duration.ofMinutes(6), SEC10, 5)
            .drive(Duration.ofMinutes(5), SEC10, 50, 90)
            .park(Duration.ofMinutes(6), SEC10, 5)
            .samples();

    assertThat(types(detect(samples, List.of())))
        .containsExactly(VehicleEvent.TRIP_STARTED, VehicleEvent.TRIP_ENDED);
  }

  @Test
  void drivingThroughACircleRaisesEnteredThenExitedAndAPolygonToo() {
    List<Sample> samples =
        new Track(T0, 52.5, 13.39, 2).drive(Duration.ofMinutes(3), SEC10, 50, 90).samples();
    Geofence circle = circle(52.5, 13.4, 200, null, 0);
    Geofence square = square(52.49, 13.405, 52.51, 13.41, null);

    List<DetectedEvent> events = geofenceEvents(detect(samples, List.of(circle, square)));

    assertThat(types(events))
        .containsExactly(
            VehicleEvent.GEOFENCE_ENTERED,
            VehicleEvent.GEOFENCE_EXITED,
            VehicleEvent.GEOFENCE_ENTERED,
            VehicleEvent.GEOFENCE_EXITED);
    assertThat(events.get(0).details()).containsEntry("geofenceId", circle.id().toString());
  }

  @Test
  void aStayShorterThanTheDwellTimeRaisesNothing() {
    List<Sample> samples =
        new Track(T0, 52.5, 13.39, 3).drive(Duration.ofMinutes(3), SEC10, 50, 90).samples();

    assertThat(geofenceEvents(detect(samples, List.of(circle(52.5, 13.4, 200, null, 120)))))
        .isEmpty();
  }

  @Test
  void oneOverspeedEventPerEpisodeLongerThanTheMinimum() {
    List<Sample> samples =
        new Track(T0, 52.5, 13.4, 4)
            .drive(Duration.ofMinutes(2), SEC10, 140, 0)
            .drive(Duration.ofMinutes(1), SEC10, 90, 0)
            .drive(Duration.ofSeconds(10), SEC10, 140, 0)
            .drive(Duration.ofMinutes(1), SEC10, 90, 0)
            .drive(Duration.ofMinutes(1), SEC10, 150, 0)
            .samples();

    List<DetectedEvent> overspeed =
        detect(samples, List.of()).stream()
            .filter(e -> e.type().equals(VehicleEvent.OVERSPEED))
            .toList();

    assertThat(overspeed).hasSize(2);
    assertThat(overspeed.get(0).details()).containsEntry("limitKmh", 120.0);
  }

  @Test
  void aGeofenceSpeedLimitAppliesInsideIt() {
    List<Sample> samples =
        new Track(T0, 52.5, 13.39, 5).drive(Duration.ofMinutes(3), SEC10, 50, 90).samples();
    Geofence zone30 = circle(52.5, 13.4, 300, 30.0, 0);

    List<DetectedEvent> overspeed =
        detect(samples, List.of(zone30)).stream()
            .filter(e -> e.type().equals(VehicleEvent.OVERSPEED))
            .toList();

    assertThat(overspeed).hasSize(1);
    assertThat(overspeed.get(0).details()).containsEntry("limitKmh", 30.0);
  }

  @Test
  void theSameHistoryGivesTheSameKeys() {
    List<Sample> samples =
        new Track(T0, 52.5, 13.39, 6).drive(Duration.ofMinutes(5), SEC10, 140, 90).samples();
    List<Geofence> fences = List.of(circle(52.5, 13.4, 200, null, 0));

    assertThat(detect(samples, fences)).isEqualTo(detect(List.copyOf(samples), fences));
  }
}
