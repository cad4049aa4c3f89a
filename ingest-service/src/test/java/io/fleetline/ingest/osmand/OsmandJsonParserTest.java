package io.fleetline.ingest.osmand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetline.common.FleetlineJson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OsmandJsonParserTest {

  static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

  static List<OsmandPing> parse(String json) {
    return OsmandJsonParser.parse(FleetlineJson.mapper().readTree(json), NOW);
  }

  @Test
  void readsTheNewerTraccarClientBodyWithSpeedInMetresPerSecond() {
    List<OsmandPing> pings =
        parse(
            """
            {"location":{"timestamp":"2025-08-28T11:51:46.587Z",
              "coords":{"latitude":-37.6998277,"longitude":145.0686733,"accuracy":4.32,
                        "speed":10,"heading":158.44,"altitude":103},
              "is_moving":true,"odometer":12345,"event":"motionchange",
              "battery":{"level":0.88,"is_charging":false},"activity":{"type":"in_vehicle"}},
             "device_id":"82879256"}
            """);

    assertThat(pings).hasSize(1);
    OsmandPing ping = pings.get(0);
    assertThat(ping.deviceId()).isEqualTo("82879256");
    assertThat(ping.candidate().recordedAt()).isEqualTo(Instant.parse("2025-08-28T11:51:46.587Z"));
    assertThat(ping.candidate().speedKmh()).isCloseTo(36.0, within(1e-9));
    assertThat(ping.candidate().headingDeg()).isEqualTo(158.44);
    assertThat(ping.candidate().altitudeM()).isEqualTo(103);
    assertThat(ping.candidate().accuracyM()).isEqualTo(4.32);
    assertThat(ping.candidate().odometerKm()).isEqualTo(12.345);
    assertThat(ping.candidate().attributes())
        .containsEntry("batteryLevel", 88L)
        .containsEntry("charging", false)
        .containsEntry("moving", true)
        .containsEntry("activity", "in_vehicle")
        .containsEntry("event", "motionchange");
  }

  @Test
  void negativeSpeedAndHeadingMeanUnknownAndBufferedArraysAreRead() {
    List<OsmandPing> pings =
        parse(
            """
            {"device_id":"x","location":[
              {"timestamp":"2026-11-26T07:00:00Z","coords":{"latitude":1,"longitude":2,"speed":-1,"heading":-1}},
              {"timestamp":"2026-11-26T07:00:05Z","coords":{"latitude":1.1,"longitude":2.1}}]}
            """);

    assertThat(pings).hasSize(2);
    assertThat(pings.get(0).candidate().speedKmh()).isNull();
    assertThat(pings.get(0).candidate().headingDeg()).isNull();
    assertThat(pings.get(1).candidate().recordedAt())
        .isEqualTo(Instant.parse("2026-11-26T07:00:05Z"));
  }

  @Test
  void missingPartsAreNamed() {
    assertThatThrownBy(() -> parse("{\"location\":{\"coords\":{\"latitude\":1,\"longitude\":2}}}"))
        .hasMessageContaining("device_id");
    assertThatThrownBy(() -> parse("{\"device_id\":\"x\",\"location\":{}}"))
        .hasMessageContaining("location.coords");
    assertThatThrownBy(
            () -> parse("{\"device_id\":\"x\",\"location\":{\"coords\":{\"latitude\":1}}}"))
        .hasMessageContaining("longitude is required");
  }
}
