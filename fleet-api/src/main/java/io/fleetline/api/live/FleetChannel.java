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

  /** The messages after {@code seq}, or {@code null} when some of them are no longer known. */
  synchronized List<LiveMessage> after(long seq) {
    if (seq < unknownUpTo) {
      return null;
    }
    return recent.stream().filter(m -> m.seq() > seq).toList();
  }
}
