package io.fleetline.ingest.publish;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends what the producer holds back for {@code linger.ms} at once, when asked: a flush of the
 * producer on a thread of its own, so that no caller waits for it. While a flush is under way the
 * producer sends every batch as soon as the connection is free; once it ends, batches wait for
 * {@code linger.ms} again. Requests that come while a flush is under way are served by one more
 * flush after it, so an upload that asked is never left to the linger.
 */
final class PromptSend implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(PromptSend.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final KafkaTemplate<String, byte[]> kafka;
  private final AtomicBoolean wanted = new AtomicBoolean();

  /** The flusher; it runs while it is this one, so a stopped one never serves a later start. */
  private volatile Thread thread;

  PromptSend(KafkaTemplate<String, byte[]> kafka) {
    this.kafka = kafka;
  }

  synchronized void start() {
    if (thread != null) {
      return;
    }
    Thread flusher = new Thread(this, "kafka-prompt-send");
    flusher.setDaemon(true);
    thread = flusher;
    flusher.start();
  }

  /** Asks for what the producer holds to be sent now; returns at once. */
  void request() {
    Thread flusher = thread;
    // One wake-up per flush, however many uploads ask meanwhile.
    if (flusher != null && !wanted.getAndSet(true)) {
      LockSupport.unpark(flusher);
    }
  }

  /**
   * Ends the flusher and waits for it to end, at most five seconds: interrupted, a flush under way
   * gives up at once. A later {@link #start()} starts a new one.
   */
  synchronized void stop() {
    Thread flusher = thread;
    if (flusher == null) {
      return;
    }
    thread = null;
    flusher.interrupt();
    try {
      flusher.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean current() {
    return thread == Thread.currentThread();
  }

  @Override
  public void run() {
    while (current()) {
      if (!wanted.getAndSet(false)) {
        LockSupport.park(this);
        continue;
      }
      try {
        // Returns once Kafka answered for every record held when it began (or gave up on them).
        kafka.execute(
            producer -> {
              producer.flush();
              return null;
            });
      } catch (RuntimeException e) {
        if (!current()) {
          return;
        }
        // The sends themselves report Kafka's failures to their uploads; only the wait failed.
        log.debug("A prompt send of the producer's batches did not complete: {}", e.toString());
      }
    }
  }
}
