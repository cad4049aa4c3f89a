package io.fleetline.simulator.truth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Measurements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {

  @Test
  void whatTheWriterWritesTheReaderReadsBack(@TempDir Path dir) throws Exception {
    TruthVehicle vehicle = new TruthVehicle("v1", "Simulated 35…", "teltonika", "350000000000013");
    TruthPing ping =
        new TruthPing(
            "v1",
            "350000000000013",
            "teltonika",
            Instant.parse("2026-11-26T08:00:00.123Z"),
            new Measurements(52.52, 13.405, 42.0, 90.0, 34.0, null, 1234.5, true),
            false,
            true);
    TruthInvalidPing invalid =
        new TruthInvalidPing(
            null,
            "unknown-sim-1",
            "mqtt",
            Instant.parse("2026-11-26T08:00:05Z"),
            "unknown_device",
            "identifier registered nowhere",
            Answers.PUBACK,
            true,
            null);
    TruthTrip trip =
        new TruthTrip(
            "v1",
            "350000000000013",
            Instant.parse("2026-11-26T08:00:00Z"),
            Instant.parse("2026-11-26T08:10:00Z"),
            new TruthTrip.Point(52.52, 13.405),
            new TruthTrip.Point(52.53, 13.41),
            2500.0,
            48.3,
            600,
            true,
            false);
    try (TruthWriter writer = TruthWriter.into(dir)) {
      writer.vehicle(vehicle);
      writer.ping(ping);
      writer.invalid(invalid);
      writer.trip(trip);
      writer.summary(Map.of("mode", "chaos", "accepted", 1));
    }

    GroundTruth truth = GroundTruth.read(dir);
    assertThat(truth.vehicles()).containsExactly(vehicle);
    assertThat(truth.pings()).containsExactly(ping);
    assertThat(truth.acknowledgedPings()).containsExactly(ping);
    assertThat(truth.invalid()).containsExactly(invalid);
    assertThat(truth.trips()).containsExactly(trip);
    assertThat(truth.summary()).containsEntry("mode", "chaos");
    // one JSON object per line, times as ISO-8601, the contract's field names
    assertThat(Files.readString(dir.resolve(GroundTruth.PINGS)))
        .startsWith("{\"vehicleId\":\"v1\"")
        .contains("\"recordedAt\":\"2026-11-26T08:00:00.123Z\"")
        .contains("\"accuracyM\":null")
        .contains(
            "\"latitude\":52.52,\"longitude\":13.405,\"speedKmh\":42.0,\"headingDeg\":90.0,"
                + "\"altitudeM\":34.0,\"accuracyM\":null,\"odometerKm\":1234.5,\"ignition\":true,"
                + "\"gpsJump\":false")
        .doesNotContain("measurements")
        .endsWith("}\n");
    assertThat(Files.readString(dir.resolve(GroundTruth.TRIPS)))
        .contains("\"start\":{\"latitude\":52.52,\"longitude\":13.405}");
  }

  @Test
  void withoutTruthNothingIsWritten() {
    try (TruthWriter writer = TruthWriter.none()) {
      writer.ping(null);
      assertThat(writer.enabled()).isFalse();
    }
  }
}
