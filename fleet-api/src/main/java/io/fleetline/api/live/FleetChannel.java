package io.fleetline.api.live;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/** One fleet's recent messages (a bounded replay buffer) and the clients listening to it. */
final class FleetChannel {

  private final ArrayDeque<LiveMessage> recent;
  private final int capacity;

  /**
   * From where in the feed the buffer holds every message of the fleet; {@code null} until known.
   * Raised past each message the buffer lets go of.
   */
  private FeedPosition completeFrom;

  final Set<LiveSubscriber> subscribers = new CopyOnWriteArraySet<>();
  volatile Instant idleSince = Instant.now();

  /** Whether the hub has forgotten this channel, so that a client must join a new one instead. */
  private boolean retired;

  FleetChannel(int capacity) {
    this.capacity = capacity;
    this.recent = new ArrayDeque<>(Math.min(capacity, 64));
  }

  synchronized void append(LiveMessage message) {
    if (recent.size() == capacity) {
      LiveMessage gone = recent.removeFirst();
      if (completeFrom != null && gone.atOrAfter(completeFrom)) {
        completeFrom = completeFrom.with(gone.ping(), gone.partition(), gone.offset() + 1);
      }
    }
    recent.addLast(message);
  }

  /**
   * The feed reads every record from {@code position} on while this channel exists: from there the
   * buffer holds every message of the fleet, unless it knew an earlier such position.
   */
  synchronized void completeFrom(FeedPosition position) {
    if (completeFrom == null) {
      completeFrom = position;
    }
  }

  /** Whether the buffer holds every message of the fleet from {@code position} on. */
  synchronized boolean covers(FeedPosition position) {
    return completeFrom != null && position.atOrAfter(completeFrom);
  }

  /** A client left; the replay buffer is kept for the retention after the last one. */
  synchronized void leave(LiveSubscriber subscriber) {
    subscribers.remove(subscriber);
    if (subscribers.isEmpty()) {
      idleSince = Instant.now();
    }
  }

  /** Retires the channel if nobody has listened to it since {@code cutoff}. */
  synchronized boolean retireIfIdleSince(Instant cutoff) {
    retired = subscribers.isEmpty() && idleSince.isBefore(cutoff);
    return retired;
  }

  synchronized boolean retired() {
    return retired;
  }

  /**
   * The messages from {@code position} on, or {@code null} when some of them are not known here.
   */
  synchronized List<LiveMessage> from(FeedPosition position) {
    if (!covers(position)) {
      return null;
    }
    return recent.stream().filter(m -> m.atOrAfter(position)).toList();
  }
}
