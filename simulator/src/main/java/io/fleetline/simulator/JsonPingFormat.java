package io.fleetline.simulator;

import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The JSON ping of the HTTP and MQTT protocols ({@code recordedAt}, {@code latitude}, {@code
 * longitude}, {@code speedKmh}, {@code headingDeg}, {@code altitudeM}, {@code accuracyM}, {@code
 * odometerKm}, {@code ignition}, {@code attributes}), written with a fixed number of decimals per
 * field; {@link #carried} gives the values exactly as ingest will read them.
 */
final class JsonPingFormat {

  private JsonPingFormat() {}

  /** One ping object, broken as {@code invalid} says (value kinds are already in the reading). */
  static String item(Reading r, InvalidKind invalid) {
    StringBuilder json = new StringBuilder(256).append('{');
    if (invalid != InvalidKind.MALFORMED) {
      json.append("\"recordedAt\":\"")
          .append(r.recordedAt().truncatedTo(ChronoUnit.MILLIS))
          .append("\",");
    } else {
      // A ping without its required event time: malformed, rejected item by item.
      json.append("\"recordedAt\":null,");
    }
    json.append("\"latitude\":")
        .append(fixed(r.latitude(), 7))
        .append(",\"longitude\":")
        .append(fixed(r.longitude(), 7))
        .append(",\"speedKmh\":")
        .append(fixed(r.speedKmh(), 1))
        .append(",\"headingDeg\":")
        .append(fixed(r.headingDeg(), 1))
        .append(",\"altitudeM\":")
        .append(fixed(r.altitudeM(), 1))
        .append(",\"accuracyM\":")
        .append(fixed(r.accuracyM(), 1))
        .append(",\"odometerKm\":")
        .append(fixed(r.odometerKm(), 3))
        .append(",\"ignition\":")
        .append(r.ignition());
    if (invalid == InvalidKind.ATTRIBUTES_TOO_LARGE) {
      json.append(",\"attributes\":{");
      for (int i = 0; i < InvalidKind.TOO_MANY_ATTRIBUTES; i++) {
        json.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":").append(i);
      }
      json.append('}');
    }
    return json.append('}').toString();
  }

  /** The reading as ingest reads it back from {@link #item}. */
  static Reading carried(Reading r) {
    return new Reading(
        r.recordedAt().truncatedTo(ChronoUnit.MILLIS),
        round(r.latitude(), 7),
        round(r.longitude(), 7),
        round(r.speedKmh(), 1),
        round(r.headingDeg(), 1),
        round(r.altitudeM(), 1),
        round(r.accuracyM(), 1),
        round(r.odometerKm(), 3),
        r.ignition(),
        r.gpsJump());
  }

  private static final long[] POWERS_OF_TEN = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L
  };

  /**
   * The value with exactly {@code decimals} digits after the point, rounded half away from zero.
   * Written by hand rather than through {@link String#format}, which took a third of the load
   * generator's CPU; {@link #round} reads back whatever this writes, so the two always agree.
   */
  static String fixed(double value, int decimals) {
    if (decimals >= POWERS_OF_TEN.length
        || !Double.isFinite(value)
        || Math.abs(value) * POWERS_OF_TEN[decimals] >= 1e15) {
      return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
    long power = POWERS_OF_TEN[decimals];
    long scaled = Math.round(Math.abs(value) * power);
    StringBuilder out = new StringBuilder(24);
    if (value < 0 && scaled != 0) {
      out.append('-');
    }
    out.append(scaled / power);
    if (decimals > 0) {
      out.append('.');
      String fraction = Long.toString(scaled % power);
      for (int i = fraction.length(); i < decimals; i++) {
        out.append('0');
      }
      out.append(fraction);
    }
    return out.toString();
  }

  static double round(double value, int decimals) {
    return Double.parseDouble(fixed(value, decimals));
  }
}
