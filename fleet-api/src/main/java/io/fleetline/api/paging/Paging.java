package io.fleetline.api.paging;

import io.fleetline.api.problem.ApiProblem;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The page a list request asks for, from its query parameters {@code limit} (1..1000, {@value
 * #DEFAULT_LIMIT} unless given) and {@code cursor} (the next page of an earlier answer, none for
 * the first): the one paging parameter of every paged endpoint, checked alike. The limit is checked
 * by hand: method validation through a proxy cost a sixth of a small answer's CPU, and the problem
 * is the one bean validation of {@code @Min(1) @Max(1000)} gives.
 *
 * @param limit the most items the page holds
 * @param cursor the opaque cursor, or {@code null}
 */
public record Paging(int limit, String cursor) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public Paging {
    if (limit < 1) {
      throw ApiProblem.badRequest("limit", "limit must be greater than or equal to 1");
    }
    if (limit > MAX_LIMIT) {
      throw ApiProblem.badRequest("limit", "limit must be less than or equal to " + MAX_LIMIT);
    }
  }

  /** Rows to fetch: one more than the limit tells whether another page follows. */
  public int fetch() {
    return limit + 1;
  }

  /** The id the cursor names, or {@code null} on the first page. */
  public UUID afterId() {
    return Cursors.decodeUuid(cursor);
  }

  /** The instant the cursor names, or {@code null} on the first page. */
  public Instant afterInstant() {
    return Cursors.decodeInstant(cursor);
  }

  /** The number the cursor names, or {@code null} on the first page. */
  public Long afterNumber() {
    return Cursors.decodeLong(cursor);
  }

  /** The page of {@code fetch()} rows, its cursor made from the key of its last item. */
  public <T> Page<T> page(List<T> fetched, Function<T, String> keyOf) {
    return Page.of(fetched, limit, keyOf);
  }
}
