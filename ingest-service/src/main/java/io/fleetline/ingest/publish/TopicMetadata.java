package io.fleetline.ingest.publish;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Keeps the producer's metadata of the topics ingest writes, so that a send never waits for it. The
 * producer fetches a topic's partitions on its first send to it and forgets them after {@code
 * metadata.max.idle.ms} without one (or when it replaces its producer); a send then blocks its
 * caller, an event loop, for up to {@code max.block.ms}. Here the partitions are fetched at
 * start-up and looked up again every second on a thread of its own, which also keeps them from
 * going idle. While they are unknown, uploads are held and sent once they are known, or failed as
 * not durable after the hold timeout. When the producer factory replaces its producer (it closes
 * one that failed), the partitions count as unknown until the new producer, created here, has them.
 */
final class TopicMetadata {

  private static final Logger log = LoggerFactory.getLogger(TopicMetadata.class);

  /** A lookup of known partitions takes microseconds; a missing topic is noticed within this. */
  private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  /** How late past its hold timeout a held upload may be failed. */
  private static final Duration EXPIRY_INTERVAL = Duration.ofMillis(250);

  private final KafkaTemplate<String, byte[]> kafka;
  private final List<String> topics;
  private final Duration holdTimeout;
  private final Queue<Held> held = new ConcurrentLinkedQueue<>();
  // Counts producer replacements, so that a look-up that began before one cannot mark it known.
  private final AtomicLong producers = new AtomicLong();
  private final Object lookUps = new Object();
  private volatile boolean known;
  private volatile boolean fetchedOnce;
  private volatile boolean stopped;
  private boolean missingReported;
  private volatile ScheduledExecutorService checker;

  /**
   * @param holdTimeout how long an upload may wait for the partitions; with the producer's delivery
   *     timeout after it, within the publish timeout
   */
  TopicMetadata(KafkaTemplate<String, byte[]> kafka, List<String> topics, Duration holdTimeout) {
    this.kafka = kafka;
    this.topics = topics;
    this.holdTimeout = holdTimeout;
    if (kafka != null) {
      kafka
          .getProducerFactory()
          .addListener(
              new ProducerFactory.Listener<>() {
                @Override
                public void producerRemoved(String id, Producer<String, byte[]> producer) {
                  producerReplaced();
                }
              });
    }
  }

  /**
   * The next send would create a producer, on its caller's thread, and wait for its metadata there:
   * uploads are held meanwhile, and the new producer is created and given the partitions here.
   */
  private void producerReplaced() {
    producers.incrementAndGet();
    known = false;
    ScheduledExecutorService current = checker;
    if (current == null) {
      return;
    }
    try {
      current.execute(this::lookUpAndRelease);
    } catch (RejectedExecutionException stopped) {
      // Stopped meanwhile.
    }
  }

  synchronized void start() {
    if (checker != null) {
      return;
    }
    stopped = false;
    // One thread looks the partitions up (which may block it), the other expires held uploads.
    checker =
        Executors.newScheduledThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "kafka-topic-metadata");
              thread.setDaemon(true);
              return thread;
            });
    checker.execute(this::check);
    checker.scheduleWithFixedDelay(
        this::expire,
        EXPIRY_INTERVAL.toMillis(),
        EXPIRY_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops checking; uploads held or handed over from now on fail as not durable. */
  synchronized void stop() {
    stopped = true;
    known = false;
    if (checker != null) {
      checker.shutdownNow();
      checker = null;
    }
    failHeld();
  }

  /** Whether a send now finds the partitions of every topic: it would not wait for them. */
  boolean known() {
    return known;
  }

  /** Whether the partitions have been fetched since start-up; stays true through Kafka outages. */
  boolean fetchedOnce() {
    return fetchedOnce;
  }

  /**
   * Sends once the partitions are known (at once when they are, on the caller's thread); fails with
   * {@link PingsNotDurableException} when they are still unknown after the hold timeout.
   */
  CompletableFuture<Void> whenKnown(Supplier<CompletableFuture<Void>> send) {
    Held upload =
        new Held(send, new CompletableFuture<>(), System.nanoTime() + holdTimeout.toNanos());
    held.add(upload);
    if (known) {
      // The checker may have released the held uploads just before this one was added.
      release();
    } else if (stopped) {
      failHeld();
    }
    return upload.result;
  }

  private void check() {
    try {
      lookUpAndRelease();
    } finally {
      // Whatever the look-up threw: without the next check, uploads would be held for good.
      ScheduledExecutorService current = checker;
      try {
        if (current != null) {
          current.schedule(this::check, CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (RejectedExecutionException stopped) {
        // Stopped meanwhile.
      }
    }
  }

  private void lookUpAndRelease() {
    synchronized (lookUps) {
      long producer = producers.get();
      boolean found = lookUp();
      // Partitions found on a producer replaced meanwhile say nothing of its successor.
      known = found && producer == producers.get();
      if (known) {
        release();
      }
    }
  }

  /**
   * Looks the partitions up, which also marks the topics as in use; blocks this thread for up to
   * {@code max.block.ms} when the producer has to fetch them.
   */
  private boolean lookUp() {
    try {
      kafka.execute(
          producer -> {
            for (String topic : topics) {
              producer.partitionsFor(topic);
            }
            return null;
          });
    } catch (RuntimeException e) {
      if (!missingReported && !stopped) {
        missingReported = true;
        log.warn(
            "Partitions of {} not known yet ({}); uploads are held until they are",
            topics,
            e.getMessage());
      }
      return false;
    }
    if (!fetchedOnce || missingReported) {
      log.info("Partitions of {} known; sends no longer wait for them", topics);
    }
    fetchedOnce = true;
    missingReported = false;
    return true;
  }

  private void release() {
    for (Held upload; (upload = held.poll()) != null; ) {
      upload.send();
    }
  }

  private void failHeld() {
    for (Held upload; (upload = held.poll()) != null; ) {
      upload.fail(new PingsNotDurableException("ingest is stopping", null));
    }
  }

  private void expire() {
    // Also while known: an upload held just before is released by the next check, unless
    // the partitions are lost again first.
    long now = System.nanoTime();
    held.removeIf(
        upload -> {
          if (now - upload.deadlineNanos < 0) {
            return false;
          }
          upload.fail(
              new PingsNotDurableException(
                  "Kafka's partitions of " + topics + " not known within " + holdTimeout, null));
          return true;
        });
  }

  /** An upload waiting for the partitions, with the future its publisher returned. */
  private record Held(
      Supplier<CompletableFuture<Void>> sender,
      CompletableFuture<Void> result,
      long deadlineNanos) {

    void send() {
      if (result.isDone()) {
        return;
      }
      try {
        sender
            .get()
            .whenComplete(
                (done, failure) -> {
                  if (failure == null) {
                    result.complete(null);
                  } else {
                    result.completeExceptionally(failure);
                  }
                });
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    void fail(PingsNotDurableException failure) {
      result.completeExceptionally(failure);
    }
  }
}
