package io.fleetline.api.paging;

import io.fleetline.api.problem.ApiProblem;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The range of instants a time parameter may name: years 1 to 9999, which every client's ISO 8601
 * writes with four digits and which PostgreSQL's {@code timestamptz} holds with room to spare.
 */
public final class TimeParameter {

  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  private TimeParameter() {}

  /** The value, or a {@code 400} problem naming {@code field} when it is outside the range. */
  public static OffsetDateTime check(String field, OffsetDateTime value) {
    if (value != null) {
      check(field, value.toInstant());
    }
    return value;
  }

  /** The instant, or a {@code 400} problem naming {@code field} when it is outside the range. */
  public static Instant check(String field, Instant value) {
    if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
      throw ApiProblem.badRequest(
          field, field + " must be between " + EARLIEST + " and " + LATEST + " (UTC)");
    }
    return value;
  }
}
