package io.fleetline.simulator;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, counted in log-linear buckets (exact below 128 µs, then 64 buckets per
 * power of two, so a percentile is off by at most 1/64 of its value) instead of kept one by one:
 * fixed memory however long the window, and safe to record into from several threads.
 */
final class LatencyHistogram {

  private static final int SUB_BUCKETS = 64;
  private static final int EXACT = 2 * SUB_BUCKETS;
  private static final int BUCKETS = 63 * SUB_BUCKETS;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong maxMicros = new AtomicLong();

  void record(long micros) {
    long value = Math.max(0, micros);
    counts.incrementAndGet(bucket(value));
    count.incrementAndGet();
    maxMicros.accumulateAndGet(value, Math::max);
  }

  long count() {
    return count.get();
  }

  long maxMicros() {
    return maxMicros.get();
  }

  /**
   * The nearest-rank percentile ({@code p} within 0..1) as the middle of its bucket, never above
   * the largest value recorded; 0 when nothing was recorded.
   */
  long percentileMicros(double p) {
    long total = count.get();
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p * total));
    if (rank >= total) {
      return maxMicros.get();
    }
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return Math.min(maxMicros.get(), middle(i));
      }
    }
    return maxMicros.get();
  }

  static int bucket(long micros) {
    if (micros < EXACT) {
      return (int) micros;
    }
    int shift = 63 - Long.numberOfLeadingZeros(micros) - 6;
    return shift * SUB_BUCKETS + (int) (micros >>> shift);
  }

  private static long middle(int bucket) {
    if (bucket < EXACT) {
      return bucket;
    }
    int shift = bucket / SUB_BUCKETS - 1;
    long lowest = (long) (bucket - shift * SUB_BUCKETS) << shift;
    return lowest + (1L << shift) / 2;
  }
}
