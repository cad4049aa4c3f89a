package io.fleetline.ingest.validation;

import io.fleetline.common.FleetlineJson;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one rule set every protocol's pings go through: a row of small named rules, each of which
 * either passes or says why the ping cannot be stored. The first failing rule wins.
 */
@Component
public class PingValidator {

  private final List<Rule> rules;
  private final Clock clock;

  @Autowired
  public PingValidator(ValidationProperties limits) {
    this(limits, Clock.systemUTC());
  }

  public PingValidator(ValidationProperties limits, Clock clock) {
    this.clock = clock;
    this.rules =
        List.of(
            new Rule(
                "latitude_out_of_range",
                (p, now) ->
                    Double.isFinite(p.latitude()) && p.latitude() >= -90 && p.latitude() <= 90
                        ? null
                        : "latitude must be a number within [-90, 90], was " + p.latitude()),
            new Rule(
                "longitude_out_of_range",
                (p, now) ->
                    Double.isFinite(p.longitude()) && p.longitude() >= -180 && p.longitude() <= 180
                        ? null
                        : "longitude must be a number within [-180, 180], was " + p.longitude()),
            new Rule(
                "null_island",
                (p, now) ->
                    p.latitude() == 0 && p.longitude() == 0
                        ? "(0, 0) is what receivers report without a fix"
                        : null),
            new Rule(
                "recorded_in_future",
                (p, now) ->
                    p.recordedAt().isAfter(now.plus(limits.maxFutureSkew()))
                        ? "recordedAt "
                            + p.recordedAt()
                            + " is more than "
                            + limits.maxFutureSkew()
                            + " ahead of the server clock "
                            + now
                        : null),
            new Rule(
                "recorded_too_old",
                (p, now) ->
                    p.recordedAt().isBefore(now.minus(limits.maxAge()))
                        ? "recordedAt " + p.recordedAt() + " is older than " + limits.maxAge()
                        : null),
            new Rule(
                "speed_out_of_range",
                (p, now) ->
                    outside(p.speedKmh(), 0, limits.maxSpeedKmh())
                        ? "speedKmh must be within [0, "
                            + limits.maxSpeedKmh()
                            + "], was "
                            + p.speedKmh()
                        : null),
            new Rule(
                "heading_out_of_range",
                (p, now) ->
                    outside(p.headingDeg(), 0, 360)
                        ? "headingDeg must be within [0, 360], was " + p.headingDeg()
                        : null),
            new Rule(
                "altitude_out_of_range",
                (p, now) ->
                    outside(p.altitudeM(), limits.minAltitudeM(), limits.maxAltitudeM())
                        ? "altitudeM must be within ["
                            + limits.minAltitudeM()
                            + ", "
                            + limits.maxAltitudeM()
                            + "], was "
                            + p.altitudeM()
                        : null),
            new Rule(
                "accuracy_out_of_range",
                (p, now) ->
                    outside(p.accuracyM(), 0, limits.maxAccuracyM())
                        ? "accuracyM must be within [0, "
                            + limits.maxAccuracyM()
                            + "], was "
                            + p.accuracyM()
                        : null),
            new Rule(
                "odometer_out_of_range",
                (p, now) ->
                    outside(p.odometerKm(), 0, 10_000_000)
                        ? "odometerKm must be within [0, 10000000], was " + p.odometerKm()
                        : null),
            new Rule("attributes_too_large", (p, now) -> attributesTooLarge(p, limits)));
  }

  /** The first rule this ping breaks, or empty when it may be stored. */
  public Optional<Rejection> validate(PingCandidate ping) {
    Instant now = clock.instant();
    for (Rule rule : rules) {
      String detail = rule.check().apply(ping, now);
      if (detail != null) {
        return Optional.of(new Rejection(rule.reason(), detail));
      }
    }
    return Optional.empty();
  }

  private static boolean outside(Double value, double min, double max) {
    return value != null && !(Double.isFinite(value) && value >= min && value <= max);
  }

  private static String attributesTooLarge(PingCandidate p, ValidationProperties limits) {
    if (p.attributes() == null || p.attributes().isEmpty()) {
      return null;
    }
    if (p.attributes().size() > limits.maxAttributes()) {
      return "at most " + limits.maxAttributes() + " attributes, got " + p.attributes().size();
    }
    if (estimatedChars(p.attributes()) * 2 < limits.maxAttributesChars()) {
      return null; // far below the limit: spare the hot path a serialisation
    }
    int chars = FleetlineJson.write(p.attributes()).length;
    return chars > limits.maxAttributesChars()
        ? "attributes must serialise to at most "
            + limits.maxAttributesChars()
            + " bytes, got "
            + chars
        : null;
  }

  /** A cheap upper-bound-ish guess of the serialised size; only a near miss is measured exactly. */
  private static int estimatedChars(java.util.Map<String, Object> attributes) {
    int chars = 2;
    for (var entry : attributes.entrySet()) {
      Object value = entry.getValue();
      chars += entry.getKey().length() + 4;
      chars += value instanceof String text ? text.length() + 2 : value instanceof Number ? 24 : 64;
      if (value instanceof java.util.Map<?, ?> || value instanceof java.util.Collection<?>) {
        return Integer.MAX_VALUE / 4; // nested: measure exactly
      }
    }
    return chars;
  }

  /** A named rule: returns null when the ping passes, else the human-readable detail. */
  private record Rule(String reason, BiFunction<PingCandidate, Instant, String> check) {}
}
