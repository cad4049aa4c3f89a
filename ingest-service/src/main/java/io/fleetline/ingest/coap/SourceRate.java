package io.fleetline.ingest.coap;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address: each address may send a burst of requests, then a steady
 * number per second. UDP sources can be forged, so the table of addresses is bounded too; when it
 * is full, addresses idle long enough to have refilled their bucket are forgotten, at most once a
 * second, and a new address is refused until there is room.
 */
final class SourceRate {

  private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
  private final double tokensPerNano;
  private final int burst;
  private final int maxSources;
  private final LongSupplier nanoTime;
  private volatile long lastSweep;

  SourceRate(int perSecond, int burst, int maxSources, LongSupplier nanoTime) {
    this.tokensPerNano = perSecond / (double) TimeUnit.SECONDS.toNanos(1);
    this.burst = Math.max(1, burst);
    this.maxSources = maxSources;
    this.nanoTime = nanoTime;
    this.lastSweep = nanoTime.getAsLong() - SWEEP_INTERVAL_NANOS;
  }

  /** Takes one request's token from the address's bucket; false when it has none left. */
  boolean tryAcquire(InetAddress source) {
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.get(source);
    if (bucket == null) {
      if (buckets.size() >= maxSources && !sweep(now)) {
        return false;
      }
      bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, now));
    }
    return bucket.take(now, tokensPerNano, burst);
  }

  int tracked() {
    return buckets.size();
  }

  /** Forgets the addresses whose buckets are full again; true when that made room. */
  private boolean sweep(long now) {
    if (now - lastSweep < SWEEP_INTERVAL_NANOS) {
      return false;
    }
    lastSweep = now;
    buckets.values().removeIf(bucket -> bucket.full(now, tokensPerNano, burst));
    return buckets.size() < maxSources;
  }

  private static final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized boolean take(long now, double tokensPerNano, int burst) {
      refill(now, tokensPerNano, burst);
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    synchronized boolean full(long now, double tokensPerNano, int burst) {
      refill(now, tokensPerNano, burst);
      return tokens >= burst;
    }

    private void refill(long now, double tokensPerNano, int burst) {
      tokens = Math.min(burst, tokens + (now - updated) * tokensPerNano);
      updated = now;
    }
  }
}
