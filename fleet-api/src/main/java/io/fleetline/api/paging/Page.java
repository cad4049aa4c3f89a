package io.fleetline.api.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: the items, and the cursor of the next page ({@code null} on the last page).
 *
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * Builds a page from {@code limit + 1} fetched rows: the extra row only tells that more follow.
   */
  public static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> cursorOf) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, null);
    }
    List<T> items = fetched.subList(0, limit);
    return new Page<>(List.copyOf(items), Cursors.encode(cursorOf.apply(items.get(limit - 1))));
  }

  /** Maps the items, keeping the cursor. */
  public <R> Page<R> map(Function<T, R> mapper) {
    return new Page<>(items.stream().map(mapper).toList(), nextCursor);
  }
}
