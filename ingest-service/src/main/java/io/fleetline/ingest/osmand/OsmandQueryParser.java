package io.fleetline.ingest.osmand;

import io.fleetline.ingest.validation.PingCandidate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the classic OsmAnd protocol as the Traccar Client apps send it: key/value parameters in the
 * query string or a form body, e.g. {@code ?id=123&lat=52.5&lon=13.4&timestamp=1732608000
 * &speed=12.3&bearing=90&altitude=34&accuracy=5&batt=87}.
 *
 * <p>Units: {@code speed} is in knots (1 kn = 1.852 km/h); {@code timestamp} is epoch seconds,
 * epoch milliseconds or ISO-8601; parameters the protocol does not define become attributes.
 */
final class OsmandQueryParser {

  static final double KMH_PER_KNOT = 1.852;

  /** Parameters that map to ping fields; everything else is kept as an attribute. */
  private static final Set<String> KNOWN =
      Set.of(
          "id",
          "deviceid",
          "lat",
          "lon",
          "location",
          "timestamp",
          "speed",
          "bearing",
          "heading",
          "altitude",
          "accuracy",
          "ignition",
          "odometer");

  private OsmandQueryParser() {}

  static OsmandPing parse(Map<String, String> params, Instant receivedAt) {
    String deviceId = first(params, "id", "deviceid");
    if (deviceId == null || deviceId.isBlank()) {
      throw new OsmandFormatException("id", "the device identifier (id or deviceid) is missing");
    }
    double lat;
    double lon;
    String location = params.get("location");
    if (params.containsKey("lat") || params.containsKey("lon") || location == null) {
      lat = requiredNumber(params, "lat");
      lon = requiredNumber(params, "lon");
    } else {
      String[] parts = location.split(",");
      if (parts.length != 2) {
        throw new OsmandFormatException(
            "location", "location must be 'lat,lon', was '" + location + "'");
      }
      lat = number("location", parts[0]);
      lon = number("location", parts[1]);
    }
    String timestamp = params.get("timestamp");
    Double speedKnots = optionalNumber(params, "speed");
    Double odometerM = optionalNumber(params, "odometer");
    return new OsmandPing(
        deviceId.strip(),
        new PingCandidate(
            timestamp == null || timestamp.isBlank() ? receivedAt : timestamp(timestamp),
            lat,
            lon,
            speedKnots == null ? null : speedKnots * KMH_PER_KNOT,
            optionalNumber(params, params.containsKey("bearing") ? "bearing" : "heading"),
            optionalNumber(params, "altitude"),
            optionalNumber(params, "accuracy"),
            odometerM == null ? null : odometerM / 1000,
            bool(params.get("ignition")),
            attributes(params)));
  }

  /** Epoch seconds, epoch milliseconds, or ISO-8601 (an instant without offset is UTC). */
  static Instant timestamp(String value) {
    String v = value.strip();
    if (v.chars().allMatch(Character::isDigit)) {
      long epoch = Long.parseLong(v);
      // Seconds run to 10 digits until the year 2286; anything longer is milliseconds.
      return v.length() > 11 ? Instant.ofEpochMilli(epoch) : Instant.ofEpochSecond(epoch);
    }
    String iso = v.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException withoutOffset) {
      try {
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new OsmandFormatException(
            "timestamp",
            "timestamp must be epoch seconds, epoch milliseconds or ISO-8601, was '" + value + "'");
      }
    }
  }

  private static Map<String, Object> attributes(Map<String, String> params) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    params.forEach(
        (key, value) -> {
          if (!KNOWN.contains(key)) {
            attributes.put(key, typed(value));
          }
        });
    return attributes;
  }

  /** Numbers and booleans keep their type in attributes; everything else stays text. */
  private static Object typed(String value) {
    if (value == null) {
      return null;
    }
    Boolean bool = bool(value);
    if (bool != null) {
      return bool;
    }
    try {
      double d = Double.parseDouble(value);
      if (Double.isFinite(d)) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
      }
    } catch (NumberFormatException e) {
      // text
    }
    return value;
  }

  private static Boolean bool(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> null;
    };
  }

  private static String first(Map<String, String> params, String... names) {
    for (String name : names) {
      if (params.get(name) != null) {
        return params.get(name);
      }
    }
    return null;
  }

  private static double requiredNumber(Map<String, String> params, String name) {
    Double value = optionalNumber(params, name);
    if (value == null) {
      throw new OsmandFormatException(name, name + " is required");
    }
    return value;
  }

  private static Double optionalNumber(Map<String, String> params, String name) {
    String value = params.get(name);
    return value == null || value.isBlank() ? null : number(name, value);
  }

  private static double number(String name, String value) {
    try {
      return Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new OsmandFormatException(name, name + " must be a number, was '" + value + "'");
    }
  }
}
