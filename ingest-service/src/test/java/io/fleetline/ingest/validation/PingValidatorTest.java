package io.fleetline.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Measurements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PingValidatorTest {

  static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
  final PingValidator validator =
      new PingValidator(ValidationProperties.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  static PingCandidate ping(double lat, double lon) {
    return new PingCandidate(
        NOW, new Measurements(lat, lon, 50.0, 90.0, 30.0, 5.0, 1000.0, true), Map.of());
  }

  @Test
  void aPlausiblePingPasses() {
    assertThat(validator.validate(ping(52.52, 13.405))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "90.0001, 13, latitude_out_of_range",
    "-91, 13, latitude_out_of_range",
    "NaN, 13, latitude_out_of_range",
    "52, 180.5, longitude_out_of_range",
    "52, Infinity, longitude_out_of_range",
    "0, 0, null_island"
  })
  void coordinatesOutsideTheGlobeOrAtNullIslandAreRejected(double lat, double lon, String reason) {
    assertThat(validator.validate(ping(lat, lon))).map(Rejection::reason).contains(reason);
  }

  @Test
  void eventTimeMayRunAheadOnlyByTheAllowedSkewAndMayNotBeAncient() {
    assertThat(validator.validate(at(NOW.plus(Duration.ofMinutes(4))))).isEmpty();
    assertThat(reason(at(NOW.plus(Duration.ofMinutes(6))))).contains("recorded_in_future");
    assertThat(validator.validate(at(NOW.minus(Duration.ofDays(29))))).isEmpty();
    assertThat(reason(at(NOW.minus(Duration.ofDays(31))))).contains("recorded_too_old");
  }

  @ParameterizedTest
  @CsvSource({
    "-1, 0, 0, 0, speed_out_of_range",
    "401, 0, 0, 0, speed_out_of_range",
    "10, 361, 0, 0, heading_out_of_range",
    "10, -0.5, 0, 0, heading_out_of_range",
    "10, 10, -600, 0, altitude_out_of_range",
    "10, 10, 30000, 0, altitude_out_of_range",
    "10, 10, 10, -1, accuracy_out_of_range"
  })
  void physicallyImpossibleMeasurementsAreRejected(
      double speed, double heading, double altitude, double accuracy, String reason) {
    PingCandidate p =
        new PingCandidate(
            NOW,
            new Measurements(52, 13, speed, heading, altitude, accuracy, null, null),
            Map.of());
    assertThat(reason(p)).contains(reason);
  }

  @Test
  void missingOptionalMeasurementsAreFine() {
    PingCandidate p =
        new PingCandidate(NOW, new Measurements(52, 13, null, null, null, null, null, null), null);
    assertThat(validator.validate(p)).isEmpty();
  }

  @Test
  void oversizedAttributesAreRejected() {
    Map<String, Object> many = new HashMap<>();
    for (int i = 0; i < 257; i++) {
      many.put("k" + i, i);
    }
    Map<String, Object> long_ = Map.of("blob", "x".repeat(17_000));

    assertThat(reason(withAttributes(many))).contains("attributes_too_large");
    assertThat(reason(withAttributes(long_))).contains("attributes_too_large");
  }

  @Test
  void nulOrALoneSurrogateAnywhereInTheAttributesIsRejectedAsMalformedNamingWhere() {
    Map<String, Object> nulValue = Map.of("note", "a\u0000b");
    Map<String, Object> nulKey = Map.of("no\u0000te", "ok");
    Map<String, Object> nested =
        Map.of("trip", Map.of("stops", java.util.List.of("fine", "lone \ud800 half")));
    Map<String, Object> backwards = Map.of("note", "\udc00\ud800");

    assertThat(validator.validate(withAttributes(nulValue)))
        .get()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(Rejection.MALFORMED);
              assertThat(r.detail()).startsWith("attributes.note ");
            });
    assertThat(validator.validate(withAttributes(nulKey)))
        .get()
        .satisfies(r -> assertThat(r.detail()).startsWith("attributes.no?te "));
    assertThat(validator.validate(withAttributes(nested)))
        .get()
        .satisfies(r -> assertThat(r.detail()).startsWith("attributes.trip.stops[1] "));
    assertThat(reason(withAttributes(backwards))).contains(Rejection.MALFORMED);
  }

  @Test
  void aSurrogatePairIsStorable() {
    assertThat(validator.validate(withAttributes(Map.of("driver", "\ud83d\ude9a Ana")))).isEmpty();
  }

  @Test
  void theSizeLimitHoldsForTheEncodedBytesNotTheCharacters() {
    // 6000 characters, but 18000 bytes of UTF-8 or 36000 bytes of JSON escapes.
    Map<String, Object> euros = Map.of("text", "\u20ac".repeat(6000));
    Map<String, Object> controls = Map.of("text", "\u0001".repeat(6000));
    Map<String, Object> digits = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      digits.put("n" + i, new java.math.BigInteger("9".repeat(1000)));
    }
    Map<String, Object> accents = Map.of("text", "\u00e9".repeat(6000)); // 12000 bytes

    assertThat(reason(withAttributes(euros))).contains("attributes_too_large");
    assertThat(reason(withAttributes(controls))).contains("attributes_too_large");
    assertThat(reason(withAttributes(digits))).contains("attributes_too_large");
    assertThat(validator.validate(withAttributes(accents))).isEmpty();
  }

  @Test
  void attributesNestedDeeperThanTheLimitAreTooLarge() {
    Object deep = "bottom";
    for (int i = 0; i < 8; i++) {
      deep = Map.of("d", deep);
    }
    Object allowed = "bottom";
    for (int i = 0; i < 7; i++) {
      allowed = Map.of("d", allowed);
    }

    assertThat(reason(withAttributes(Map.of("d", deep)))).contains("attributes_too_large");
    assertThat(validator.validate(withAttributes(Map.of("d", allowed)))).isEmpty();
  }

  @Test
  void theRejectionSaysWhatWasWrong() {
    Optional<Rejection> rejection = validator.validate(ping(95, 13));
    assertThat(rejection).get().extracting(Rejection::detail).asString().contains("95.0");
  }

  private Optional<String> reason(PingCandidate p) {
    return validator.validate(p).map(Rejection::reason);
  }

  private static PingCandidate at(Instant recordedAt) {
    return new PingCandidate(
        recordedAt, new Measurements(52, 13, null, null, null, null, null, null), Map.of());
  }

  private static PingCandidate withAttributes(Map<String, Object> attributes) {
    return new PingCandidate(
        NOW, new Measurements(52, 13, null, null, null, null, null, null), attributes);
  }
}
