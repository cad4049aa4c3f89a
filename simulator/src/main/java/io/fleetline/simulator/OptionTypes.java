package io.fleetline.simulator;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value types of the simulator's options. Each converter says what a value must be; picocli
 * puts the option's name in front, so a bad value reads {@code Invalid value for option
 * '--vehicles': must be a positive whole number, was '0'}.
 */
final class OptionTypes {

  /** Ingest refuses pings older than 30 days; a replay stays well inside that. */
  static final Duration MAX_HISTORY = Duration.ofDays(25);

  static final int MAX_BATCH = 1000;

  private OptionTypes() {}

  /** A city centre, in degrees. */
  record Centre(double lat, double lon) {}

  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int parsed = wholeNumber(value);
      if (parsed <= 0) {
        throw new TypeConversionException("must be a positive whole number, was '" + value + "'");
      }
      return parsed;
    }
  }

  /** Pings per upload: ingest takes at most {@value OptionTypes#MAX_BATCH} in one. */
  static final class Batch implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int parsed = new PositiveInt().convert(value);
      if (parsed > MAX_BATCH) {
        throw new TypeConversionException("must be at most " + MAX_BATCH + ", was " + parsed);
      }
      return parsed;
    }
  }

  static final class PositiveNumber implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double parsed = number(value);
      if (parsed <= 0) {
        throw new TypeConversionException("must be positive, was '" + value + "'");
      }
      return parsed;
    }
  }

  static final class NonNegativeNumber implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double parsed = number(value);
      if (parsed < 0) {
        throw new TypeConversionException("must not be negative, was '" + value + "'");
      }
      return parsed;
    }
  }

  /** A share, 0..1. */
  static final class Ratio implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double parsed = number(value);
      if (parsed < 0 || parsed > 1) {
        throw new TypeConversionException("must be within 0..1, was '" + value + "'");
      }
      return parsed;
    }
  }

  /** Whole seconds, 0 included. */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      long parsed = wholeSeconds(value);
      if (parsed < 0) {
        throw new TypeConversionException("must not be negative, was '" + value + "'");
      }
      return Duration.ofSeconds(parsed);
    }
  }

  /** Whole seconds, more than 0. */
  static final class PositiveSeconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      long parsed = wholeSeconds(value);
      if (parsed <= 0) {
        throw new TypeConversionException(
            "must be a positive number of seconds, was '" + value + "'");
      }
      return Duration.ofSeconds(parsed);
    }
  }

  /** A reporting interval in seconds, fractions allowed down to 10 ms. */
  static final class Interval implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      double seconds = number(value);
      if (!(seconds >= 0.01)) {
        throw new TypeConversionException("must be at least 0.01 seconds, was '" + value + "'");
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
  }

  /** How far back a replay starts: {@code 90s}, {@code 30m}, {@code 3h}, {@code 2d} or seconds. */
  static final class History implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      char unit = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
      String digits = Character.isDigit(unit) ? v : v.substring(0, Math.max(0, v.length() - 1));
      long amount;
      try {
        amount = Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "must be a duration such as 90s, 30m or 3h, was '" + value + "'");
      }
      if (amount <= 0) {
        throw new TypeConversionException("must be positive, was '" + value + "'");
      }
      Duration history =
          switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> {
              if (!Character.isDigit(unit)) {
                throw new TypeConversionException(
                    "must be a duration such as 90s, 30m or 3h, was '" + value + "'");
              }
              yield Duration.ofSeconds(amount);
            }
          };
      if (history.compareTo(MAX_HISTORY) > 0) {
        throw new TypeConversionException(
            "must be at most 25 days (ingest refuses pings older than 30 days), was '"
                + value
                + "'");
      }
      return history;
    }
  }

  /** {@code LAT,LON} within ±80° latitude, where the street grid stays a grid. */
  static final class CentreOf implements ITypeConverter<Centre> {
    @Override
    public Centre convert(String value) {
      String[] parts = value.split(",", -1);
      if (parts.length != 2) {
        throw new TypeConversionException("must be LAT,LON, was '" + value + "'");
      }
      double lat = number(parts[0]);
      double lon = number(parts[1]);
      if (Math.abs(lat) > 80 || Math.abs(lon) > 180) {
        throw new TypeConversionException(
            "must be within ±80° latitude, ±180° longitude, was '" + value + "'");
      }
      return new Centre(lat, lon);
    }
  }

  static final class Protocols implements ITypeConverter<ProtocolMix> {
    @Override
    public ProtocolMix convert(String value) {
      try {
        return ProtocolMix.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The prefix of a run's device identifiers, short enough for every protocol's identifier. */
  static final class RunId implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!value.matches("[a-z0-9]{1,8}")) {
        throw new TypeConversionException(
            "must be 1-8 lower-case letters or digits, was '" + value + "'");
      }
      return value;
    }
  }

  private static int wholeNumber(String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be a whole number, was '" + value + "'");
    }
  }

  private static long wholeSeconds(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be whole seconds, was '" + value + "'");
    }
  }

  private static double number(String value) {
    try {
      double parsed = Double.parseDouble(value.strip());
      if (Double.isFinite(parsed)) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new TypeConversionException("must be a number, was '" + value + "'");
  }
}
