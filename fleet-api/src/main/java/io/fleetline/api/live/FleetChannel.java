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

  /** Messages up to this sequence number may have passed this channel by unseen. */
  private long unknownUpTo;

  final Set<LiveSubscriber> subscribers = new CopyOnWriteArraySet<>();
  volatile Instant idleSince = Instant.now();

  /** Whether the hub has forgotten this channel, so that a client must join a new one instead. */
  private boolean retired;

  FleetChannel(int capacity, long createdAtSeq) {
    this.capacity = capacity;
    this.recent = new ArrayDeque<>(Math.min(capacity, 64));
    this.unknownUpTo = createdAtSeq;
  }

  synchronized void append(LiveMessage message) {
    if (recent.size() == capacity) {
      unknownUpTo = recent.removeFirst().seq();
    }
    recent.addLast(message);
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

  /** The messages after {@code seq}, or {@code null} when some of them are no longer known. */
  synchronized List<LiveMessage> after(long seq) {
    if (seq < unknownUpTo) {
      return null;
    }
    return recent.stream().filter(m -> m.seq() > seq).toList();
  }
}
