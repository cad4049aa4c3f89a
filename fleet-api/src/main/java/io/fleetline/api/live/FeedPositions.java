package io.fleetline.api.live;

import java.util.Arrays;

/**
 * The live feed's current position in each partition of its topics, moved by the consumer thread
 * after each record and read by request threads that resume a stream. A record's position is moved
 * before its message is handed to the fleet's channel, so a position read at any moment is covered
 * by the channels that exist then: what lies below it was handed out or is about to be.
 */
final class FeedPositions {

  private long[] pings = new long[0];
  private long[] events = new long[0];

  /** The next record of the partition is at {@code next}. */
  synchronized void moveTo(boolean ping, int partition, long next) {
    if (ping) {
      pings = grown(pings, partition);
      pings[partition] = next;
    } else {
      events = grown(events, partition);
      events[partition] = next;
    }
  }

  private static long[] grown(long[] offsets, int partition) {
    return partition < offsets.length ? offsets : Arrays.copyOf(offsets, partition + 1);
  }

  synchronized FeedPosition current() {
    return new FeedPosition(pings.clone(), events.clone());
  }
}
