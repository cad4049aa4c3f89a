package io.fleetline.ingest.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.validation.PingCandidate;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;

class JsonPingReaderTest {

  static JsonParser json(String text) {
    JsonParser parser = FleetlineJson.mapper().createParser(text);
    parser.nextToken();
    return parser;
  }

  @Test
  void readsEveryFieldOfTheContract() {
    PingCandidate p =
        JsonPingReader.read(
            json(
                """
                {"recordedAt":"2026-11-26T09:00:00.250+01:00","latitude":52.52,"longitude":13.405,
                 "speedKmh":42.5,"headingDeg":90,"altitudeM":34,"accuracyM":5,"odometerKm":1234.5,
                 "ignition":true,"attributes":{"batt":87,"driver":"ana"}}
                """));

    assertThat(p.recordedAt()).isEqualTo(Instant.parse("2026-11-26T08:00:00.250Z"));
    assertThat(p.measurements().latitude()).isEqualTo(52.52);
    assertThat(p.measurements().longitude()).isEqualTo(13.405);
    assertThat(p.measurements().speedKmh()).isEqualTo(42.5);
    assertThat(p.measurements().headingDeg()).isEqualTo(90);
    assertThat(p.measurements().altitudeM()).isEqualTo(34);
    assertThat(p.measurements().accuracyM()).isEqualTo(5);
    assertThat(p.measurements().odometerKm()).isEqualTo(1234.5);
    assertThat(p.measurements().ignition()).isTrue();
    assertThat(p.attributes()).containsEntry("batt", 87).containsEntry("driver", "ana");
  }

  @Test
  void missingRequiredFieldsAreNamed() {
    assertThatThrownBy(() -> JsonPingReader.read(json("{\"latitude\":1,\"longitude\":2}")))
        .isInstanceOf(MalformedPingException.class)
        .hasMessageContaining("recordedAt is required");
    assertThatThrownBy(
            () ->
                JsonPingReader.read(
                    json("{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":1}")))
        .hasMessageContaining("longitude is required");
  }

  @Test
  void wrongTypesAreErrorsNotSilentNulls() {
    assertThatThrownBy(
            () ->
                JsonPingReader.read(
                    json(
                        "{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":\"52\",\"longitude\":2}")))
        .hasMessageContaining("latitude must be a number");
    assertThatThrownBy(
            () ->
                JsonPingReader.read(
                    json(
                        "{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":1,\"longitude\":2,"
                            + "\"ignition\":\"yes\"}")))
        .hasMessageContaining("ignition must be true or false");
  }

  @Test
  void timestampsWithoutAnOffsetAreRefused() {
    assertThatThrownBy(
            () ->
                JsonPingReader.read(
                    json("{\"recordedAt\":\"2026-11-26 08:00\",\"latitude\":1,\"longitude\":2}")))
        .hasMessageContaining("ISO-8601");
  }
}
