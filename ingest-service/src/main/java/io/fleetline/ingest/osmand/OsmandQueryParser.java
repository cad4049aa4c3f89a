package io.fleetline.ingest.osmand;

import io.fleetline.common.Diagnostics;
import io.fleetline.common.Measurements;
import io.fleetline.ingest.validation.DeviceText;
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
import java.util.regex.Pattern;

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

  /** Epoch milliseconds have 13 digits until the year 2286; 18 still fit a long. */
  private static final int MAX_EPOCH_DIGITS = 18;

  private static final int MAX_NUMBER_CHARS = 64;
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?");

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
            "location", "location must be 'lat,lon', was " + DeviceText.quoted(location));
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
            timestamp == null || timestamp.isBlank()
                ? receivedAt
                : timestamp("timestamp", timestamp),
            new Measurements(
                lat,
                lon,
                speedKnots == null ? null : speedKnots * KMH_PER_KNOT,
                optionalNumber(params, params.containsKey("bearing") ? "bearing" : "heading"),
                optionalNumber(params, "altitude"),
                optionalNumber(params, "accuracy"),
                odometerM == null ? null : odometerM / 1000,
                bool(params.get("ignition")),
                new Diagnostics(
                    null,
                    null,
                    null,
                    percent(params.get("batt")),
                    bool(params.get("charge")),
                    null,
                    null,
                    null,
                    null)),
            attributes(params)));
  }

  /**
   * {@code batt}, the phone's battery in percent; {@code null} when it is not a number within
   * 0..100 (it still travels as an attribute, as before).
   */
  private static Double percent(String value) {
    if (value == null || value.length() > MAX_NUMBER_CHARS || !isDecimal(value.strip())) {
      return null;
    }
    double pct = Double.parseDouble(value.strip());
    return pct >= 0 && pct <= 100 ? pct : null;
  }

  /**
   * Epoch seconds, epoch milliseconds, or ISO-8601 (an instant without offset is UTC).
   *
   * @param field the name the device used for it, for the error
   */
  static Instant timestamp(String field, String value) {
    String v = value.strip();
    if (v.isEmpty() || v.length() > DeviceText.MAX_TIME_CHARS) {
      throw badTimestamp(field, value);
    }
    if (isAsciiDigits(v)) {
      if (v.length() > MAX_EPOCH_DIGITS) {
        throw badTimestamp(field, value);
      }
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
        throw badTimestamp(field, value);
      }
    }
  }

  private static OsmandFormatException badTimestamp(String field, String value) {
    return new OsmandFormatException(
        field,
        field
            + " must be epoch seconds, epoch milliseconds or ISO-8601, was "
            + DeviceText.quoted(value));
  }

  private static boolean isAsciiDigits(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
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

  /** Decimal numbers and booleans keep their type in attributes; everything else stays text. */
  private static Object typed(String value) {
    if (value == null) {
      return null;
    }
    Boolean bool = bool(value);
    if (bool != null) {
      return bool;
    }
    if (isDecimal(value)) {
      double d = Double.parseDouble(value);
      if (Double.isFinite(d)) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
      }
    }
    return value;
  }

  /**
   * A plain decimal number, optionally with an exponent: what devices send. Java's own syntax also
   * takes {@code NaN}, {@code Infinity}, hexadecimal and type suffixes, none of which a device
   * means as a number.
   */
  static boolean isDecimal(String value) {
    return value.length() <= MAX_NUMBER_CHARS && DECIMAL.matcher(value).matches();
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
    String v = value.strip();
    if (!isDecimal(v)) {
      throw new OsmandFormatException(
          name, name + " must be a number, was " + DeviceText.quoted(value));
    }
    double d = Double.parseDouble(v);
    if (!Double.isFinite(d)) {
      throw new OsmandFormatException(
          name, name + " is too large a number, was " + DeviceText.quoted(value));
    }
    return d;
  }
}
