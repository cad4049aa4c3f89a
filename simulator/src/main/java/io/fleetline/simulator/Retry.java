package io.fleetline.simulator;

import java.io.IOException;
import java.time.Duration;

/**
 * Resends what ingest did not acknowledge, as a tracker does: with backoff from 200 ms to 5 s, for
 * at most {@code retryFor}. Covers ingest restarting, Kafka being unavailable (503) and the moment
 * after registration when ingest does not know a new device yet.
 */
final class Retry {

  /** Ingest did not take an upload now; sending it again later may work. */
  static final class TransientException extends Exception {
    TransientException(String message) {
      super(message);
    }
  }

  @FunctionalInterface
  interface Attempt<T> {
    T call() throws IOException, TransientException, InterruptedException;
  }

  private final Duration retryFor;

  Retry(Duration retryFor) {
    this.retryFor = retryFor;
  }

  /** The attempt's result, or {@code null} when it failed for longer than {@code retryFor}. */
  <T> T run(Attempt<T> attempt) throws InterruptedException {
    long deadline = System.nanoTime() + retryFor.toNanos();
    long backoffMs = 200;
    while (true) {
      try {
        return attempt.call();
      } catch (IOException | TransientException e) {
        if (System.nanoTime() + backoffMs * 1_000_000 > deadline) {
          return null;
        }
        Thread.sleep(backoffMs); // a device's resend delay, not a wait for async work
        backoffMs = Math.min(5_000, backoffMs * 2);
      }
    }
  }
}
