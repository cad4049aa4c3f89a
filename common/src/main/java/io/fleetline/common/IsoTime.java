package io.fleetline.common;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 instants as the wire contract writes them, formatted and parsed without {@code
 * java.time}'s general-purpose formatter: this runs twice for every ping on every hop, and the
 * formatter costs more than the rest of a ping's encoding.
 *
 * <p>Both directions give exactly what {@link Instant#toString()} and {@link
 * OffsetDateTime#parse(CharSequence)} give; input the fast path does not cover (other years, a
 * lower-case {@code t}, offsets with seconds, invalid dates) goes to {@code OffsetDateTime.parse},
 * so its errors and its leniency are the rule.
 */
public final class IsoTime {

  /** The most bytes {@link #formatTo} writes. */
  public static final int MAX_FORMATTED_BYTES = 24;

  private static final int SECONDS_PER_DAY = 86_400;
  private static final DateTimeFormatter MILLIS_FALLBACK =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  // 0000-01-01 and 9999-12-31: four-digit years, the only ones written by the fast path.
  private static final long MIN_EPOCH_SECOND = -62_167_219_200L;
  private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

  private IsoTime() {}

  /** The same text as {@link Instant#toString()}. */
  public static String format(Instant instant) {
    byte[] out = new byte[MAX_FORMATTED_BYTES];
    int length = formatTo(instant, out, 0);
    return length < 0 ? instant.toString() : new String(out, 0, length, StandardCharsets.US_ASCII);
  }

  /**
   * Writes the ASCII text of {@link Instant#toString()} at {@code out[at]} when the instant has a
   * four-digit year and at most millisecond precision (what the contract carries), else writes
   * nothing.
   *
   * @return the index after the last byte written, or -1 if nothing was written
   */
  public static int formatTo(Instant instant, byte[] out, int at) {
    long epochSecond = instant.getEpochSecond();
    int nanos = instant.getNano();
    if (epochSecond < MIN_EPOCH_SECOND
        || epochSecond > MAX_EPOCH_SECOND
        || nanos % 1_000_000 != 0) {
      return -1;
    }
    return write(epochSecond, nanos / 1_000_000, nanos != 0, out, at);
  }

  /**
   * ISO-8601 UTC with exactly three fraction digits, truncated to the millisecond ({@code
   * 2026-11-20T08:15:00.120Z}): the form the API writes every time in.
   */
  public static String formatMillis(Instant instant) {
    byte[] out = new byte[MAX_FORMATTED_BYTES];
    int length = formatMillisTo(instant, out, 0);
    return length < 0
        ? MILLIS_FALLBACK.format(instant)
        : new String(out, 0, length, StandardCharsets.US_ASCII);
  }

  /**
   * Writes the ASCII text of {@link #formatMillis} at {@code out[at]} when the instant has a
   * four-digit year, else writes nothing: for writers that put the bytes straight into their
   * output.
   *
   * @return the index after the last byte written, or -1 if nothing was written
   */
  public static int formatMillisTo(Instant instant, byte[] out, int at) {
    long epochSecond = instant.getEpochSecond();
    if (epochSecond < MIN_EPOCH_SECOND || epochSecond > MAX_EPOCH_SECOND) {
      return -1;
    }
    return write(epochSecond, instant.getNano() / 1_000_000, true, out, at);
  }

  /** Writes a four-digit-year UTC time; returns the index after the last byte. */
  private static int write(long epochSecond, int millis, boolean fraction, byte[] out, int at) {
    long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
    // Civil date from days since 1970-01-01 (proleptic Gregorian), by 400-year eras.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    int dayOfEra = (int) (z - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int mp = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));

    digits(out, at, year, 4);
    out[at + 4] = '-';
    digits(out, at + 5, month, 2);
    out[at + 7] = '-';
    digits(out, at + 8, day, 2);
    out[at + 10] = 'T';
    digits(out, at + 11, secondOfDay / 3600, 2);
    out[at + 13] = ':';
    digits(out, at + 14, secondOfDay / 60 % 60, 2);
    out[at + 16] = ':';
    digits(out, at + 17, secondOfDay % 60, 2);
    int end = at + 19;
    if (fraction) {
      out[end] = '.';
      digits(out, end + 1, millis, 3);
      end += 4;
    }
    out[end] = 'Z';
    return end + 1;
  }

  /**
   * The instant of an ISO-8601 date-time with an offset, as {@code
   * OffsetDateTime.parse(text).toInstant()} reads it.
   *
   * @throws DateTimeParseException when {@code OffsetDateTime.parse} would
   */
  public static Instant parse(CharSequence text) {
    Instant fast = parseCommonForm(text);
    return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)}, or null for anything else. */
  private static Instant parseCommonForm(CharSequence s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = number(s, 0, 4);
    int month = number(s, 5, 2);
    int day = number(s, 8, 2);
    int hour = number(s, 11, 2);
    int minute = number(s, 14, 2);
    int second = number(s, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
        nanos = nanos * 10 + (s.charAt(i) - '0');
        i++;
      }
      int fractionDigits = i - start;
      if (fractionDigits == 0 || (i < n && isDigit(s.charAt(i)))) {
        return null;
      }
      for (int k = fractionDigits; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int offsetHours = number(s, i + 1, 2);
      int offsetMinutes = number(s, i + 4, 2);
      if (offsetHours < 0 || offsetMinutes < 0 || offsetHours > 17 || offsetMinutes > 59) {
        return null;
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      return null;
    }
    if (month < 1
        || month > 12
        || day < 1
        || day > lengthOfMonth(year, month)
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    long epochDay = epochDay(year, month, day);
    long epochSecond =
        epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
    try {
      return Instant.ofEpochSecond(epochSecond, nanos);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    int yearOfEra = (int) (y - era * 400);
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** The non-negative number in {@code s[from, from + length)}, or -1 if not all digits. */
  private static int number(CharSequence s, int from, int length) {
    int value = 0;
    for (int i = from; i < from + length; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static void digits(byte[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
