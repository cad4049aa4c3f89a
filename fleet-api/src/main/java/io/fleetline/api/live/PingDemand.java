package io.fleetline.api.live;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Whether live clients want pings: the handshake between the request threads and the feed's
 * consumer thread, which alone may pause or resume its Kafka consumer. A client that connects while
 * pings are paused waits until the feed reads them again, so that it misses no ping published after
 * its stream opened.
 */
final class PingDemand {

  private final BooleanSupplier wanted;
  private volatile Runnable wake = () -> {};

  /** Whether the feed reads pings; false from the moment it decided to pause them. */
  private boolean reading;

  /**
   * @param wanted whether any fleet has clients now or a replay buffer kept for clients that may
   *     resume
   */
  PingDemand(BooleanSupplier wanted) {
    this.wanted = wanted;
  }

  /** Has a client that waits for pings call {@code wake}, to cut the feed's current poll short. */
  void onDemand(Runnable wake) {
    this.wake = wake;
  }

  /** For the consumer thread: whether to read pings; when not, clients that connect must wait. */
  synchronized boolean wanted() {
    boolean wanted = this.wanted.getAsBoolean();
    if (!wanted) {
      reading = false;
    }
    return wanted;
  }

  /** For the consumer thread: pings are read from now on; clients waiting for them may go on. */
  synchronized void reading() {
    if (!reading) {
      reading = true;
      notifyAll();
    }
  }

  /**
   * For a request thread, once its fleet's channel exists: waits until the feed reads pings, at
   * most {@code limit} (the stream opens anyway, perhaps missing its first pings, if Kafka is
   * slow).
   *
   * @return whether the feed reads pings now
   */
  boolean awaitReading(Duration limit) {
    synchronized (this) {
      if (reading) {
        return true;
      }
    }
    wake.run();
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (this) {
      long left;
      while (!reading && (left = deadline - System.nanoTime()) > 0) {
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return reading;
    }
  }
}
