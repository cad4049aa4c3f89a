package io.fleetline.routing.derived;

import io.fleetline.common.Measurements;
import io.fleetline.common.VehiclePing;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.Track;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A few vehicles' days in pings: parkings with jitter, drives, traffic lights, silences. */
final class Scenario {

  static final Duration SEC10 = Duration.ofSeconds(10);

  private Scenario() {}

  static List<VehiclePing> pings(UUID fleet, List<UUID> vehicles, Instant start) {
    List<VehiclePing> pings = new ArrayList<>();
    int i = 0;
    for (UUID vehicle : vehicles) {
      Track track =
          new Track(start, 52.5 + i * 0.01, 13.4, 100 + i)
              .park(Duration.ofMinutes(8), Duration.ofSeconds(30), 15)
              .drive(Duration.ofMinutes(7), SEC10, 45, 90)
              .park(Duration.ofMinutes(1), SEC10, 2, true)
              .drive(Duration.ofMinutes(4), SEC10, 135, 0)
              .park(Duration.ofMinutes(12), Duration.ofSeconds(20), 20)
              .drive(Duration.ofMinutes(3), SEC10, 30, 200)
              .silence(Duration.ofMinutes(25), 3_000)
              .drive(Duration.ofMinutes(6), SEC10, 60, 270)
              .park(Duration.ofSeconds(30), SEC10, 3)
              .silence(Duration.ofHours(2), 0)
              .park(Duration.ofMinutes(1), SEC10, 3)
              .drive(Duration.ofSeconds(50), SEC10, 20, 45)
              .park(Duration.ofMinutes(6), SEC10, 10)
              .drive(Duration.ofMinutes(9), SEC10, 80, 120);
      for (Sample s : track.samples()) {
        pings.add(ping(fleet, vehicle, s));
      }
      i++;
    }
    return pings;
  }

  static VehiclePing ping(UUID fleet, UUID vehicle, Sample s) {
    return new VehiclePing(
        1,
        vehicle,
        fleet,
        UUID.nameUUIDFromBytes(vehicle.toString().getBytes()),
        "http",
        s.recordedAt(),
        s.recordedAt().plusSeconds(1),
        new Measurements(
            s.latitude(), s.longitude(), s.speedKmh(), null, null, null, null, s.ignition()),
        Map.of());
  }
}
