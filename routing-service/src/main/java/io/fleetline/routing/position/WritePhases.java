package io.fleetline.routing.position;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The steps of a batch write, each timed as {@code fleetline.routing.write.duration} tagged with
 * its {@code phase}: where the time of a batch goes, and which step to look at when batches slow
 * down.
 */
final class WritePhases {

  /** The steps in the order a batch goes through them. */
  enum Phase {
    /** Borrowing a connection from the pool. */
    CONNECTION,
    /** Making the daily history partitions of the batch's days, where not known to exist. */
    PARTITIONS,
    /** Waiting for the locks of the batch's Kafka partitions. */
    LOCK,
    /** Storing the pings in {@code positions}. */
    HISTORY,
    /** Moving the vehicles' latest positions. */
    LATEST,
    /** Deriving trips, stops and events from the new history. */
    DERIVED,
    /**
     * Checking that this consumer still owns the batch's Kafka partitions ({@link PartitionFence}).
     */
    FENCE,
    /** Committing, then what followers do once committed. */
    COMMIT;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Phase, Timer> timers = new EnumMap<>(Phase.class);

  WritePhases(MeterRegistry meters) {
    for (Phase phase : Phase.values()) {
      timers.put(
          phase,
          Timer.builder("fleetline.routing.write.duration")
              .description("One step of writing a batch, for each batch that got there")
              .tag("phase", phase.tag())
              .publishPercentiles(0.5, 0.99)
              .distributionStatisticExpiry(Duration.ofMinutes(5))
              .register(meters));
    }
  }

  /** Starts timing one attempt at writing a batch. */
  Stopwatch start() {
    return new Stopwatch();
  }

  /** The steps of one attempt, each recorded as it is done. */
  final class Stopwatch {

    private final long started = System.nanoTime();
    private final long[] nanos = new long[Phase.values().length];
    private long last = started;

    void done(Phase phase) {
      long now = System.nanoTime();
      nanos[phase.ordinal()] = now - last;
      timers.get(phase).record(now - last, TimeUnit.NANOSECONDS);
      last = now;
    }

    long elapsedMillis() {
      return TimeUnit.NANOSECONDS.toMillis(last - started);
    }

    /** Each step done, with its milliseconds: {@code connection 1 ms, partitions 0 ms, ...}. */
    String breakdown() {
      StringJoiner steps = new StringJoiner(", ");
      for (Phase phase : Phase.values()) {
        steps.add(
            phase.tag() + " " + TimeUnit.NANOSECONDS.toMillis(nanos[phase.ordinal()]) + " ms");
      }
      return steps.toString();
    }
  }
}
