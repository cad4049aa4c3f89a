package io.fleetline.ingest.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.Rejection;
import io.fleetline.ingest.validation.ValidationProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated bodies fed to the JSON ping decoder and the validator: whatever a device
 * sends, the answer is a decoded ping, a rejected item or a refused body, never another exception,
 * and never a detail that is long or unprintable.
 */
class PingJsonFuzzTest {

  static final String SEED_BODY =
      "[{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":52.5,\"longitude\":13.4,"
          + "\"speedKmh\":42.5,\"headingDeg\":90,\"altitudeM\":34,\"accuracyM\":5,"
          + "\"odometerKm\":1234.5,\"ignition\":true,"
          + "\"attributes\":{\"batt\":87,\"tags\":[\"a\",{\"b\":null}],\"driver\":\"ana\"}},"
          + "{\"recordedAt\":\"2026-11-26T08:00:01+01:00\",\"latitude\":-1e-3,\"longitude\":2}]";

  /** Fragments devices have been seen to send, or that break decoders. */
  static final String[] FRAGMENTS = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "null",
    "true",
    "\"\"",
    "[]",
    "{}",
    "-",
    "1e400",
    "-1e400",
    "99999999999999999999",
    "1.7976931348623157E309",
    "0.0000000001e-400",
    "NaN",
    "Infinity",
    "\\u0000",
    "\\ud800",
    "\\udc00\\ud800",
    "\u0000",
    "\"recordedAt\":",
    "\"latitude\":",
    "\"attributes\":",
    "\"ignition\":",
    "\"2026-13-45T99:00:00Z\"",
    "\"+999999999-12-31T23:59:59Z\"",
    "1.0",
    "0x10",
    "\u00e9",
    "\uD83D\uDE9A"
  };

  final PingValidator validator = new PingValidator(ValidationProperties.defaults());

  @Test
  void mutatedBodiesAreDecodedRejectedOrRefusedAndNothingElse() {
    Random random = new Random(20261203);
    for (int round = 0; round < 20_000; round++) {
      String body = mutate(SEED_BODY, random, 1 + random.nextInt(4));
      judge(body);
    }
  }

  @Test
  void randomBodiesAreDecodedRejectedOrRefusedAndNothingElse() {
    Random random = new Random(7);
    for (int round = 0; round < 5_000; round++) {
      StringBuilder body = new StringBuilder();
      int parts = 1 + random.nextInt(30);
      for (int i = 0; i < parts; i++) {
        body.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
      judge(body.toString());
    }
  }

  private void judge(String body) {
    List<DecodedPing> items;
    try {
      items = PingJson.decode(body.getBytes(StandardCharsets.UTF_8), 1000);
    } catch (PingJson.MalformedBodyException e) {
      assertPrintableAndShort(e.getMessage(), body);
      return;
    }
    for (DecodedPing item : items) {
      Rejection rejection =
          item.malformed() != null
              ? item.malformed()
              : validator.validate(item.candidate()).orElse(null);
      if (rejection != null) {
        assertPrintableAndShort(rejection.detail(), body);
        assertThat(item.original().get()).as(body).isNotNull();
      }
    }
  }

  static void assertPrintableAndShort(String detail, String input) {
    assertThat(detail).as(input).hasSizeLessThan(400);
    assertThat(detail.chars().noneMatch(Character::isISOControl)).as(detail).isTrue();
    // Jackson's own messages quote its settings and classes in backticks.
    assertThat(detail).as(input).doesNotContainIgnoringCase("jackson").doesNotContain("java.");
    assertThat(detail).as(input).doesNotContain("`");
  }

  static String mutate(String text, Random random, int edits) {
    StringBuilder out = new StringBuilder(text);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(out.length() + 1);
      switch (random.nextInt(4)) {
        case 0 -> out.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        case 1 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(8)));
        case 2 -> {
          int end = Math.min(out.length(), at + random.nextInt(40));
          out.insert(at, out.substring(at, end));
        }
        default -> {
          if (at < out.length()) {
            out.setCharAt(at, (char) random.nextInt(0x3000));
          }
        }
      }
    }
    return out.toString();
  }
}
