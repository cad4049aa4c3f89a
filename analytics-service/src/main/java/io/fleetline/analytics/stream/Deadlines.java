package io.fleetline.analytics.stream;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * When each key of a store next needs the timer (wall-clock milliseconds), so that a punctuation
 * reads the states that are due rather than every state. It lives in memory only: the task builds
 * it from its restored store at its first punctuation and keeps it up to date with every write, so
 * it costs no changelog traffic and is always what the store says.
 */
final class Deadlines {

  private record Entry(long dueMs, String key) {}

  private final Map<String, Long> dueByKey = new HashMap<>();
  private final NavigableSet<Entry> byDue =
      new TreeSet<>(Comparator.comparingLong(Entry::dueMs).thenComparing(Entry::key));

  /** Notes when {@code key} is due; {@link Long#MAX_VALUE}: never, until it changes. */
  void set(String key, long dueMs) {
    if (dueMs == Long.MAX_VALUE) {
      remove(key);
      return;
    }
    Long previous = dueByKey.put(key, dueMs);
    if (previous != null) {
      if (previous == dueMs) {
        return;
      }
      byDue.remove(new Entry(previous, key));
    }
    byDue.add(new Entry(dueMs, key));
  }

  void remove(String key) {
    Long previous = dueByKey.remove(key);
    if (previous != null) {
      byDue.remove(new Entry(previous, key));
    }
  }

  /** The keys due at {@code nowMs}, in key order (the order in which the store iterates). */
  SortedSet<String> dueAt(long nowMs) {
    SortedSet<String> keys = new TreeSet<>();
    for (Entry e : byDue) {
      if (e.dueMs() > nowMs) {
        break;
      }
      keys.add(e.key());
    }
    return keys;
  }

  void clear() {
    dueByKey.clear();
    byDue.clear();
  }
}
