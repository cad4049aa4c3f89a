package io.fleetline.ingest.osmand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetline.common.Diagnostics;
import io.fleetline.common.FleetlineJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class OsmandJsonParserTest {

  static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

  static List<OsmandPing> parse(String json) {
    return OsmandJsonParser.parse(FleetlineJson.mapper().readTree(json), NOW, 1000);
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
    assertThat(ping.candidate().measurements().speedKmh()).isCloseTo(36.0, within(1e-9));
    assertThat(ping.candidate().measurements().headingDeg()).isEqualTo(158.44);
    assertThat(ping.candidate().measurements().altitudeM()).isEqualTo(103);
    assertThat(ping.candidate().measurements().accuracyM()).isEqualTo(4.32);
    assertThat(ping.candidate().measurements().odometerKm()).isEqualTo(12.345);
    assertThat(ping.candidate().attributes())
        .containsEntry("batteryLevel", 88L)
        .containsEntry("charging", false)
        .containsEntry("moving", true)
        .containsEntry("activity", "in_vehicle")
        .containsEntry("event", "motionchange");
    assertThat(ping.candidate().measurements().diagnostics())
        .isEqualTo(new Diagnostics(null, null, null, 88.0, false, true, null, null, null));
  }

  @Test
  void anUnknownBatteryLevelIsNotADiagnostic() {
    List<OsmandPing> pings =
        parse(
            """
            {"location":{"timestamp":"2025-08-28T11:51:46.587Z",
              "coords":{"latitude":-37.6998277,"longitude":145.0686733},
              "battery":{"level":-1,"is_charging":"yes"}},
             "device_id":"82879256"}
            """);

    assertThat(pings.get(0).candidate().measurements().diagnostics()).isNull();
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
    assertThat(pings.get(0).candidate().measurements().speedKmh()).isNull();
    assertThat(pings.get(0).candidate().measurements().headingDeg()).isNull();
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

  @Test
  void anEmptyLocationArrayIsMalformed() {
    assertThatThrownBy(() -> parse("{\"device_id\":\"x\",\"location\":[]}"))
        .isInstanceOfSatisfying(
            OsmandFormatException.class, e -> assertThat(e.field()).isEqualTo("location"));
  }

  @Test
  void aTimestampThatIsEmptyTooLargeOrOfTheWrongTypeIsMalformed() {
    for (String timestamp :
        new String[] {
          "\"\"",
          "\"  \"",
          "{}",
          "[]",
          "true",
          "1.5",
          "-1",
          "99999999999999999999",
          "\"99999999999999999999\"",
          "\"" + "9".repeat(500) + "\""
        }) {
      assertThatThrownBy(
              () ->
                  parse(
                      "{\"device_id\":\"x\",\"location\":{\"timestamp\":"
                          + timestamp
                          + ",\"coords\":{\"latitude\":1,\"longitude\":2}}}"),
              timestamp)
          .isInstanceOfSatisfying(
              OsmandFormatException.class,
              e -> {
                assertThat(e.field()).isEqualTo("location.timestamp");
                assertThat(e.getMessage()).hasSizeLessThan(200);
              });
    }
  }

  @Test
  void epochMillisecondsMayBeANumber() {
    List<OsmandPing> pings =
        parse(
            "{\"device_id\":\"x\",\"location\":{\"timestamp\":1764144000000,"
                + "\"coords\":{\"latitude\":1,\"longitude\":2}}}");

    assertThat(pings.get(0).candidate().recordedAt()).isEqualTo(Instant.ofEpochSecond(1764144000));
  }

  @Test
  void coordinatesOfTheWrongTypeOrBeyondADoubleAreMalformedAndNamed() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"device_id\":\"x\",\"location\":[{\"coords\":"
                        + "{\"latitude\":1,\"longitude\":2}},{\"coords\":"
                        + "{\"latitude\":[1],\"longitude\":2}}]}"))
        .isInstanceOfSatisfying(
            OsmandFormatException.class,
            e -> assertThat(e.field()).isEqualTo("location[1].coords.latitude"));
    assertThatThrownBy(
            () ->
                parse(
                    "{\"device_id\":\"x\",\"location\":{\"coords\":"
                        + "{\"latitude\":1e400,\"longitude\":2}}}"))
        .isInstanceOfSatisfying(
            OsmandFormatException.class,
            e -> assertThat(e.field()).isEqualTo("location.coords.latitude"));
    assertThatThrownBy(() -> parse("{\"device_id\":\"x\",\"location\":[7]}"))
        .isInstanceOfSatisfying(
            OsmandFormatException.class, e -> assertThat(e.field()).isEqualTo("location[0]"));
  }

  @Test
  void moreBufferedPositionsThanABatchMayHoldAreRefusedWhole() {
    String one = "{\"coords\":{\"latitude\":1,\"longitude\":2}}";
    String body =
        "{\"device_id\":\"x\",\"location\":["
            + String.join(",", Collections.nCopies(4, one))
            + "]}";

    assertThatThrownBy(() -> OsmandJsonParser.parse(FleetlineJson.mapper().readTree(body), NOW, 3))
        .isInstanceOf(TooManyPositionsException.class)
        .hasMessage("At most 3 pings per request, got 4.");
    assertThat(OsmandJsonParser.parse(FleetlineJson.mapper().readTree(body), NOW, 4)).hasSize(4);
  }

  @Test
  void eachBufferedPositionKeepsItsOwnTextForTheRejectedTopic() {
    List<OsmandPing> pings =
        parse(
            "{\"device_id\":\"x\",\"pad\":\""
                + "p".repeat(10_000)
                + "\",\"location\":[{\"coords\":{\"latitude\":1,\"longitude\":2}},"
                + "{\"coords\":{\"latitude\":95,\"longitude\":2}}]}");

    assertThat(new String(pings.get(1).original().get(), StandardCharsets.UTF_8))
        .isEqualTo("{\"coords\":{\"latitude\":95,\"longitude\":2}}");
  }

  @Test
  void aBatteryLevelOutsideZeroToOneIsUnknown() {
    List<OsmandPing> pings =
        parse(
            "{\"device_id\":\"x\",\"location\":{\"coords\":{\"latitude\":1,"
                + "\"longitude\":2},\"battery\":{\"level\":1e300}}}");

    assertThat(pings.get(0).candidate().attributes()).doesNotContainKey("batteryLevel");
  }
}
