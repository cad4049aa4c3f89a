package io.fleetline.routing.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Measurements;
import io.fleetline.common.VehiclePing;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a decoded ping must hold before routing tries to store it. */
class StorablePingTest {

  static final UUID VEHICLE = UUID.randomUUID();
  static final UUID FLEET = UUID.randomUUID();
  static final Instant AT = Instant.parse("2026-11-26T08:00:00Z");

  static VehiclePing ping(
      UUID vehicle,
      UUID fleet,
      String protocol,
      Instant recordedAt,
      Instant receivedAt,
      double lat,
      double lon) {
    return new VehiclePing(
        1,
        vehicle,
        fleet,
        null,
        protocol,
        recordedAt,
        receivedAt,
        new Measurements(lat, lon, null, null, null, null, null, null),
        Map.of());
  }

  static final Instant OLDEST = AT.minus(Duration.ofDays(400));
  static final Instant NEWEST = AT.plus(Duration.ofDays(1));

  static String problem(VehiclePing ping) {
    return StorablePing.problem(ping, OLDEST, NEWEST);
  }

  @Test
  void aCompletePingOnTheGlobeIsStorable() {
    assertThat(problem(ping(VEHICLE, FLEET, "http", AT, AT, 90, -180))).isNull();
    assertThat(problem(ping(VEHICLE, FLEET, "", AT, AT, -90, 180))).isNull();
  }

  @Test
  void aPingWithoutItsKeysOrRequiredColumnsIsNot() {
    assertThat(problem(ping(null, FLEET, "http", AT, AT, 1, 2))).isEqualTo("vehicleId is missing");
    assertThat(problem(ping(VEHICLE, null, "http", AT, AT, 1, 2))).isEqualTo("fleetId is missing");
    assertThat(problem(ping(VEHICLE, FLEET, null, AT, AT, 1, 2))).isEqualTo("protocol is missing");
    assertThat(problem(ping(VEHICLE, FLEET, "http", null, AT, 1, 2)))
        .isEqualTo("recordedAt is missing");
    assertThat(problem(ping(VEHICLE, FLEET, "http", AT, null, 1, 2)))
        .isEqualTo("receivedAt is missing");
  }

  @Test
  void aPositionOffTheGlobeOrNotANumberIsNot() {
    for (double lat : new double[] {90.0001, -91, Double.POSITIVE_INFINITY, Double.NaN}) {
      assertThat(problem(ping(VEHICLE, FLEET, "http", AT, AT, lat, 0)))
          .as("latitude %s", lat)
          .isEqualTo("latitude is not within ±90°");
    }
    for (double lon : new double[] {180.0001, -181, Double.NEGATIVE_INFINITY, Double.NaN}) {
      assertThat(problem(ping(VEHICLE, FLEET, "http", AT, AT, 0, lon)))
          .as("longitude %s", lon)
          .isEqualTo("longitude is not within ±180°");
    }
  }

  @Test
  void aPingRecordedOrReceivedWithinRetentionAndTheClockSkewIsStorable() {
    assertThat(problem(ping(VEHICLE, FLEET, "http", OLDEST, AT, 1, 2))).isNull();
    assertThat(problem(ping(VEHICLE, FLEET, "http", NEWEST, NEWEST, 1, 2))).isNull();
    assertThat(problem(ping(VEHICLE, FLEET, "http", AT, OLDEST, 1, 2))).isNull();
  }

  @Test
  void aPingRecordedBeforeRetentionOrBeyondTheClockSkewIsNot() {
    Instant year200000 = Instant.parse("+200000-01-01T00:00:00Z");
    assertThat(problem(ping(VEHICLE, FLEET, "http", OLDEST.minusNanos(1), AT, 1, 2)))
        .isEqualTo("recordedAt is older than the history is kept");
    assertThat(problem(ping(VEHICLE, FLEET, "http", Instant.MIN, AT, 1, 2)))
        .isEqualTo("recordedAt is older than the history is kept");
    assertThat(problem(ping(VEHICLE, FLEET, "http", NEWEST.plusNanos(1), AT, 1, 2)))
        .isEqualTo("recordedAt is too far in the future");
    assertThat(problem(ping(VEHICLE, FLEET, "http", year200000, AT, 1, 2)))
        .isEqualTo("recordedAt is too far in the future");
    assertThat(problem(ping(VEHICLE, FLEET, "http", Instant.MAX, AT, 1, 2)))
        .isEqualTo("recordedAt is too far in the future");
    assertThat(problem(ping(VEHICLE, FLEET, "http", AT, year200000, 1, 2)))
        .isEqualTo("receivedAt is too far in the future");
    assertThat(problem(ping(VEHICLE, FLEET, "http", AT, Instant.MIN, 1, 2)))
        .isEqualTo("receivedAt is older than the history is kept");
  }
}
