package io.fleetline.analytics.stream;

import io.fleetline.common.Measurements;
import io.fleetline.common.VehiclePing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Hand-made pings of one vehicle: each sample moves it by its speed over the interval. */
final class Track {

  static final UUID FLEET = UUID.fromString("00000000-0000-4000-8000-00000000f1ee");
  private static final double METERS_PER_DEGREE = 111_195;

  private final UUID vehicleId;
  private final UUID fleetId;
  private final List<VehiclePing> pings = new ArrayList<>();
  private Instant at;
  private double latitude = 52.5;
  private double longitude = 13.4;
  private double headingDeg;
  private Double accuracyM = 5.0;
  private Boolean ignition = true;

  private Track(UUID vehicleId, UUID fleetId, Instant start) {
    this.vehicleId = vehicleId;
    this.fleetId = fleetId;
    this.at = start;
  }

  static Track of(UUID vehicleId, Instant start) {
    return new Track(vehicleId, FLEET, start);
  }

  static Track of(UUID vehicleId, UUID fleetId, Instant start) {
    return new Track(vehicleId, fleetId, start);
  }

  Track accuracy(Double accuracyM) {
    this.accuracyM = accuracyM;
    return this;
  }

  Track ignition(Boolean ignition) {
    this.ignition = ignition;
    return this;
  }

  Track heading(double headingDeg) {
    this.headingDeg = headingDeg;
    return this;
  }

  /** The first sample at the start, then one per {@code every}, at the given speeds. */
  Track samples(Duration every, double... speedsKmh) {
    for (double speed : speedsKmh) {
      sample(every, speed, headingDeg);
    }
    return this;
  }

  /** One sample {@code after} the previous one, moved by its speed along its heading. */
  Track sample(Duration after, double speedKmh, double headingDeg) {
    if (!pings.isEmpty()) {
      at = at.plus(after);
      double meters = speedKmh / 3.6 * after.toMillis() / 1000.0;
      latitude += meters * Math.cos(Math.toRadians(headingDeg)) / METERS_PER_DEGREE;
      longitude +=
          meters
              * Math.sin(Math.toRadians(headingDeg))
              / (METERS_PER_DEGREE * Math.cos(Math.toRadians(latitude)));
    }
    this.headingDeg = headingDeg;
    pings.add(
        new VehiclePing(
            VehiclePing.CURRENT_VERSION,
            vehicleId,
            fleetId,
            UUID.nameUUIDFromBytes(vehicleId.toString().getBytes()),
            "http",
            at,
            at,
            new Measurements(
                latitude, longitude, speedKmh, headingDeg, 34.0, accuracyM, null, ignition),
            Map.of()));
    return this;
  }

  Instant lastAt() {
    return at;
  }

  List<VehiclePing> pings() {
    return List.copyOf(pings);
  }
}
