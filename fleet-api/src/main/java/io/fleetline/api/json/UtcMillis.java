package io.fleetline.api.json;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The contract's time format, ISO-8601 UTC with exactly three fraction digits ({@code
 * 2026-11-20T08:15:00.123Z}), written by hand: a {@link DateTimeFormatter} with a zone builds zone
 * rules and a zoned date-time for every value, which a 1000-point track page notices.
 */
public final class UtcMillis {

  private static final DateTimeFormatter FALLBACK =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private UtcMillis() {}

  public static String format(Instant instant) {
    return new String(chars(instant.getEpochSecond(), instant.getNano()));
  }

  /** The 24 characters of a time within years 0..9999; other years go through the formatter. */
  public static char[] chars(long epochSecond, int nanos) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, nanos, ZoneOffset.UTC);
    int year = t.getYear();
    if (year < 0 || year > 9999) {
      return FALLBACK.format(Instant.ofEpochSecond(epochSecond, nanos)).toCharArray();
    }
    char[] c = new char[24];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, t.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, t.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, t.getHour(), 2);
    c[13] = ':';
    digits(c, 14, t.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, t.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, nanos / 1_000_000, 3);
    c[23] = 'Z';
    return c;
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
