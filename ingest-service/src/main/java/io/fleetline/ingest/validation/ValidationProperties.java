package io.fleetline.ingest.validation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the ping validation rules ({@code fleetline.ingest.validation.*}).
 *
 * @param maxFutureSkew how far ahead of the server clock a device clock may run
 * @param maxAge oldest event time accepted (devices upload buffered pings late, but not forever)
 * @param maxSpeedKmh fastest plausible ground speed
 * @param minAltitudeM lowest plausible altitude (Dead Sea shore is about -430 m)
 * @param maxAltitudeM highest plausible altitude for a road vehicle or a phone in a plane
 * @param maxAccuracyM largest accuracy radius worth storing
 * @param maxAttributes most attribute entries in one ping (Teltonika records can carry 100+ IO
 *     elements)
 * @param maxAttributesChars longest attributes object, in bytes of its JSON encoding
 * @param maxAttributesDepth deepest nesting of objects and arrays in the attributes (the attributes
 *     object itself is level 1)
 */
@ConfigurationProperties("fleetline.ingest.validation")
public record ValidationProperties(
    @DefaultValue("5m") Duration maxFutureSkew,
    @DefaultValue("30d") Duration maxAge,
    @DefaultValue("400") double maxSpeedKmh,
    @DefaultValue("-500") double minAltitudeM,
    @DefaultValue("20000") double maxAltitudeM,
    @DefaultValue("100000") double maxAccuracyM,
    @DefaultValue("256") int maxAttributes,
    @DefaultValue("16384") int maxAttributesChars,
    @DefaultValue("8") int maxAttributesDepth) {

  /** The defaults, for code outside Spring (tests, benchmarks). */
  public static ValidationProperties defaults() {
    return new ValidationProperties(
        Duration.ofMinutes(5), Duration.ofDays(30), 400, -500, 20_000, 100_000, 256, 16384, 8);
  }
}
