package io.fleetline.api.limits;

/**
 * A token bucket: {@code capacity} requests at once, refilled at {@code ratePerSecond}. Time is
 * passed in (nanoseconds), so the arithmetic is tested without a clock.
 */
final class TokenBucket {

  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long updatedNanos;

  TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = capacity;
    this.tokens = capacity;
    this.updatedNanos = nowNanos;
  }

  /** Takes one token; answers 0 when granted, else the nanoseconds until one is available. */
  synchronized long tryTake(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - updatedNanos) * ratePerNano);
    updatedNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / ratePerNano);
  }

  synchronized long updatedNanos() {
    return updatedNanos;
  }
}
