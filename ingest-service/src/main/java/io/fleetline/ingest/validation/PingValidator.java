package io.fleetline.ingest.validation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
  private final ValidationProperties limits;

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
                    Double.isFinite(p.measurements().latitude())
                            && p.measurements().latitude() >= -90
                            && p.measurements().latitude() <= 90
                        ? null
                        : "latitude must be a number within [-90, 90], was "
                            + p.measurements().latitude()),
            new Rule(
                "longitude_out_of_range",
                (p, now) ->
                    Double.isFinite(p.measurements().longitude())
                            && p.measurements().longitude() >= -180
                            && p.measurements().longitude() <= 180
                        ? null
                        : "longitude must be a number within [-180, 180], was "
                            + p.measurements().longitude()),
            new Rule(
                "null_island",
                (p, now) ->
                    p.measurements().latitude() == 0 && p.measurements().longitude() == 0
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
                    outside(p.measurements().speedKmh(), 0, limits.maxSpeedKmh())
                        ? "speedKmh must be within [0, "
                            + limits.maxSpeedKmh()
                            + "], was "
                            + p.measurements().speedKmh()
                        : null),
            new Rule(
                "heading_out_of_range",
                (p, now) ->
                    outside(p.measurements().headingDeg(), 0, 360)
                        ? "headingDeg must be within [0, 360], was " + p.measurements().headingDeg()
                        : null),
            new Rule(
                "altitude_out_of_range",
                (p, now) ->
                    outside(
                            p.measurements().altitudeM(),
                            limits.minAltitudeM(),
                            limits.maxAltitudeM())
                        ? "altitudeM must be within ["
                            + limits.minAltitudeM()
                            + ", "
                            + limits.maxAltitudeM()
                            + "], was "
                            + p.measurements().altitudeM()
                        : null),
            new Rule(
                "accuracy_out_of_range",
                (p, now) ->
                    outside(p.measurements().accuracyM(), 0, limits.maxAccuracyM())
                        ? "accuracyM must be within [0, "
                            + limits.maxAccuracyM()
                            + "], was "
                            + p.measurements().accuracyM()
                        : null),
            new Rule(
                "odometer_out_of_range",
                (p, now) ->
                    outside(p.measurements().odometerKm(), 0, 10_000_000)
                        ? "odometerKm must be within [0, 10000000], was "
                            + p.measurements().odometerKm()
                        : null));
    this.limits = limits;
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
    return attributes(ping.attributes());
  }

  /**
   * Attributes are stored as they came, so they are bounded in entries, nesting and encoded size,
   * and every key and text in them must be storable; one walk judges all of it.
   */
  private Optional<Rejection> attributes(Map<String, Object> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return Optional.empty();
    }
    if (attributes.size() > limits.maxAttributes()) {
      return tooLarge(
          "at most " + limits.maxAttributes() + " attributes, got " + attributes.size());
    }
    AttributesShape shape =
        AttributesShape.of(attributes, limits.maxAttributesChars(), limits.maxAttributesDepth());
    if (shape.tooDeep()) {
      return tooLarge(
          "attributes may nest at most " + limits.maxAttributesDepth() + " levels deep");
    }
    if (shape.tooLarge()) {
      return tooLarge(
          "attributes must serialise to at most " + limits.maxAttributesChars() + " bytes");
    }
    if (shape.unstorablePath() != null) {
      return Optional.of(
          new Rejection(
              Rejection.MALFORMED,
              shape.unstorablePath()
                  + " contains NUL or a lone UTF-16 surrogate, which cannot be stored"));
    }
    return Optional.empty();
  }

  private static Optional<Rejection> tooLarge(String detail) {
    return Optional.of(new Rejection(Rejection.ATTRIBUTES_TOO_LARGE, detail));
  }

  private static boolean outside(Double value, double min, double max) {
    return value != null && !(Double.isFinite(value) && value >= min && value <= max);
  }

  /** A named rule: returns null when the ping passes, else the human-readable detail. */
  private record Rule(String reason, BiFunction<PingCandidate, Instant, String> check) {}
}
