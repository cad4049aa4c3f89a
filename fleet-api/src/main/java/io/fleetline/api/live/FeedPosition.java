package io.fleetline.api.live;

import java.util.Arrays;

/**
 * Where the live feed stands in every partition of its two topics: for each, the offset of the next
 * record. As a message's event id it says that every message of the fleet below these offsets went
 * out before it, which any fleet-api instance can resume after, since all read the same topics.
 * Written {@code k<pings>_<events>}, each the partitions' offsets in base 36 separated by dots,
 * e.g. {@code k1z.0.3f_a}.
 */
record FeedPosition(long[] pings, long[] events) {

  private static final int MAX_PARTITIONS = 1024;

  /** The position in a topic's partition: the offset of the next record; 0 where unknown. */
  long of(boolean ping, int partition) {
    long[] offsets = ping ? pings : events;
    return partition < offsets.length ? offsets[partition] : 0;
  }

  /** Whether this position is at or past {@code other} in every partition. */
  boolean atOrAfter(FeedPosition other) {
    return atOrAfter(pings, other.pings) && atOrAfter(events, other.events);
  }

  private static boolean atOrAfter(long[] mine, long[] theirs) {
    for (int p = 0; p < theirs.length; p++) {
      if ((p < mine.length ? mine[p] : 0) < theirs[p]) {
        return false;
      }
    }
    return true;
  }

  /** This position moved to {@code next} in one partition. */
  FeedPosition with(boolean ping, int partition, long next) {
    long[] offsets =
        Arrays.copyOf(
            ping ? pings : events, Math.max(partition + 1, (ping ? pings : events).length));
    offsets[partition] = next;
    return ping ? new FeedPosition(offsets, events) : new FeedPosition(pings, offsets);
  }

  String id() {
    StringBuilder id = new StringBuilder(8 + 7 * (pings.length + events.length)).append('k');
    append(id, pings);
    id.append('_');
    append(id, events);
    return id.toString();
  }

  private static void append(StringBuilder id, long[] offsets) {
    for (int p = 0; p < offsets.length; p++) {
      if (p > 0) {
        id.append('.');
      }
      id.append(Long.toString(offsets[p], 36));
    }
  }

  /** The position an event id names, or {@code null} when it names none (another form, bad). */
  static FeedPosition parse(String id) {
    if (id == null || id.length() < 2 || id.charAt(0) != 'k' || id.length() > 16 * MAX_PARTITIONS) {
      return null;
    }
    String[] topics = id.substring(1).split("_", -1);
    if (topics.length != 2) {
      return null;
    }
    long[] pings = offsets(topics[0]);
    long[] events = offsets(topics[1]);
    return pings == null || events == null ? null : new FeedPosition(pings, events);
  }

  private static long[] offsets(String text) {
    if (text.isEmpty()) {
      return new long[0];
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length > MAX_PARTITIONS) {
      return null;
    }
    long[] offsets = new long[parts.length];
    try {
      for (int p = 0; p < parts.length; p++) {
        offsets[p] = Long.parseLong(parts[p], 36);
        if (offsets[p] < 0 || parts[p].startsWith("+") || parts[p].startsWith("-")) {
          return null;
        }
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return offsets;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeedPosition other
        && Arrays.equals(pings, other.pings)
        && Arrays.equals(events, other.events);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(pings) + Arrays.hashCode(events);
  }

  @Override
  public String toString() {
    return id();
  }
}
