package io.fleetline.api.analytics;

import io.fleetline.api.problem.ApiProblem;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * A calendar day given as {@code YYYY-MM-DD}, in years 1 to 9999: exactly the form the daily
 * summaries are keyed by, nothing looser (no time, no zone, no sign, no week dates).
 */
final class DayParameter {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

  /** Longest text that can be a day; anything longer is refused before it is parsed. */
  private static final int LENGTH = 10;

  private DayParameter() {}

  /** The day, or a {@code 400} problem naming {@code field}. */
  static LocalDate parse(String field, String text) {
    if (text == null || text.isEmpty()) {
      throw ApiProblem.badRequest(field, field + " is required");
    }
    if (text.length() != LENGTH) {
      throw invalid(field);
    }
    try {
      LocalDate day = LocalDate.parse(text, DAY);
      if (day.getYear() < 1) {
        throw invalid(field);
      }
      return day;
    } catch (DateTimeParseException e) {
      throw invalid(field);
    }
  }

  private static ApiProblem invalid(String field) {
    return ApiProblem.badRequest(field, field + " must be a calendar day written YYYY-MM-DD");
  }
}
