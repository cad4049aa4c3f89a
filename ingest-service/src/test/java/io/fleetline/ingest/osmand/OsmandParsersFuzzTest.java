package io.fleetline.ingest.osmand;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.Rejection;
import io.fleetline.ingest.validation.ValidationProperties;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Random parameters and mutated JSON bodies fed to both OsmAnd parsers and the validator: the
 * outcome is a position, a clean format error (the 400), a too-large upload (the 413) or a
 * rejection, never another exception.
 */
class OsmandParsersFuzzTest {

  static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

  static final String[] KEYS = {
    "id", "deviceid", "lat", "lon", "location", "timestamp", "speed", "bearing", "heading",
    "altitude", "accuracy", "ignition", "odometer", "batt", "note", "\u0000", "\ud800", ""
  };

  static final String[] VALUES = {
    "",
    " ",
    "phone-1",
    "52.5",
    "-13.4",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "-Infinity",
    "0x1p3",
    "1d",
    "1f",
    "99999999999999999999",
    "1732608000",
    "1732608000000",
    "2026-11-26T08:00:00Z",
    "2026-11-26 08:00:00",
    "+999999999-12-31T23:59:59Z",
    "52.5,13.4",
    "52.5,",
    ",",
    "true",
    "false",
    "a\u0000b",
    "\ud800",
    "\udc00",
    "\uD83D\uDE9A",
    "١٢٣",
    "00000000000000000000000000000000000001",
    "1e-400",
    "٣.٥"
  };

  static final String SEED_JSON =
      "{\"device_id\":\"phone-1\",\"location\":[{\"timestamp\":\"2026-11-26T07:00:00Z\","
          + "\"coords\":{\"latitude\":1,\"longitude\":2,\"speed\":3,\"heading\":4,"
          + "\"altitude\":5,\"accuracy\":6},\"is_moving\":true,\"odometer\":7,"
          + "\"event\":\"motionchange\",\"battery\":{\"level\":0.5,\"is_charging\":false},"
          + "\"activity\":{\"type\":\"still\"}},{\"timestamp\":1732608000000,"
          + "\"coords\":{\"latitude\":1.1,\"longitude\":2.1}}]}";

  static final String[] JSON_FRAGMENTS = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "\"\"",
    "[]",
    "{}",
    "1e400",
    "-1",
    "99999999999999999999",
    "1.5",
    "\"timestamp\":",
    "\"coords\":",
    "\"location\":",
    "\"latitude\":",
    "\"level\":",
    "\\u0000",
    "\\ud800"
  };

  final PingValidator validator = new PingValidator(ValidationProperties.defaults());

  @Test
  void randomParametersGiveAPositionOrAFormatError() {
    Random random = new Random(5055);
    for (int round = 0; round < 20_000; round++) {
      Map<String, String> params = new LinkedHashMap<>();
      if (random.nextInt(10) > 0) {
        params.put("id", "phone-1");
      }
      int count = random.nextInt(8);
      for (int i = 0; i < count; i++) {
        params.put(KEYS[random.nextInt(KEYS.length)], VALUES[random.nextInt(VALUES.length)]);
      }
      try {
        judge(OsmandQueryParser.parse(params, NOW), params.toString());
      } catch (OsmandFormatException e) {
        assertClean(e.getMessage(), params.toString());
      }
    }
  }

  @Test
  void mutatedJsonBodiesGiveAPositionAFormatErrorOrTooMany() {
    Random random = new Random(9);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder body = new StringBuilder(SEED_JSON);
      int edits = 1 + random.nextInt(4);
      for (int i = 0; i < edits; i++) {
        int at = random.nextInt(body.length() + 1);
        if (random.nextBoolean()) {
          body.insert(at, JSON_FRAGMENTS[random.nextInt(JSON_FRAGMENTS.length)]);
        } else {
          body.delete(at, Math.min(body.length(), at + 1 + random.nextInt(10)));
        }
      }
      JsonNode tree;
      try {
        tree = FleetlineJson.mapper().readTree(body.toString());
      } catch (JacksonException notJson) {
        continue; // answered 400 by the controller
      }
      try {
        for (OsmandPing ping : OsmandJsonParser.parse(tree, NOW, 1)) {
          judge(ping, body.toString());
        }
      } catch (OsmandFormatException e) {
        assertClean(e.getMessage(), body.toString());
      } catch (TooManyPositionsException e) {
        assertThat(e.getMessage()).startsWith("At most 1 pings per request");
      }
    }
  }

  private void judge(OsmandPing ping, String input) {
    assertThat(ping.deviceId()).as(input).isNotBlank();
    Rejection rejection = validator.validate(ping.candidate()).orElse(null);
    if (rejection != null) {
      assertClean(rejection.detail(), input);
    }
    if (ping.original() != null) {
      assertThat(ping.original().get()).isNotEmpty();
    }
  }

  private static void assertClean(String detail, String input) {
    assertThat(detail).as(input).hasSizeLessThan(400);
    assertThat(detail.chars().noneMatch(Character::isISOControl)).as(detail).isTrue();
    assertThat(List.of("Exception", "jackson", "java.", "`"))
        .allSatisfy(word -> assertThat(detail).as(input).doesNotContain(word));
  }
}
