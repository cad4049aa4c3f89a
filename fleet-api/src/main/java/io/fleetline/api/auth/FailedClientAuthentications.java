package io.fleetline.api.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts failed client authentications per (client id, address), per address and per client id, and
 * says before a secret is checked whether another attempt is allowed, so that neither guessing nor
 * the cost of hashing the guesses is unbounded.
 *
 * <p>A (client id, address) pair is <em>trusted</em> once the client has authenticated from that
 * address, for {@code trustedFor} after its last success. A trusted pair is held back only by its
 * own failures; any other attempt is held back by the pair's, the address's and the client id's
 * failures alike. So guesses spread over many addresses stop at the per-client bound, while the
 * real client keeps getting tokens from where it got them before, and a shared address (a proxy)
 * that others fail from does not lock out the clients known to use it. Limiting by client id alone
 * would let anyone lock a real client out everywhere with a few wrong secrets; this way they lock
 * it out only of addresses it has not used recently.
 *
 * <p>An attempt counts as a failure when it ends without authenticating the client, not while it is
 * in progress, so a client's own attempt in flight holds nothing back; concurrent attempts may
 * overrun a bound by at most the number checked at once ({@code maxConcurrent}). A refused attempt
 * remembers nothing, so refused requests with made-up ids cannot push out what is known of a real
 * client; only failures (each one hashed and counted against its address) and successes are
 * remembered, at most {@code maxTracked} of each kind, the least recently seen forgotten first.
 */
@Component
class FailedClientAuthentications {

  private final ClientAuthenticationLimits limits;
  private final Buckets pairs;
  private final Buckets addresses;
  private final Buckets clients;
  private final long trustedForNanos;
  private final Map<String, Long> lastSuccess;

  FailedClientAuthentications(ClientAuthenticationLimits limits) {
    if (Math.min(limits.perClientAndAddress(), Math.min(limits.perAddress(), limits.perClient()))
            < 1
        || limits.maxConcurrent() < 1
        || limits.maxTracked() < 1
        || limits.window().isNegative()
        || limits.window().isZero()
        || limits.trustedFor().isNegative()
        || limits.maxConcurrentWait().isNegative()) {
      throw new IllegalStateException(
          "fleetline.auth.failed-authentications: every limit must be 1 or more, the window"
              + " longer than zero, trusted-for and max-concurrent-wait not negative");
    }
    this.limits = limits;
    long windowNanos = limits.window().toNanos();
    this.pairs = new Buckets(limits.perClientAndAddress(), windowNanos, limits.maxTracked());
    this.addresses = new Buckets(limits.perAddress(), windowNanos, limits.maxTracked());
    this.clients = new Buckets(limits.perClient(), windowNanos, limits.maxTracked());
    this.trustedForNanos = limits.trustedFor().toNanos();
    int maxTracked = limits.maxTracked();
    this.lastSuccess =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > maxTracked;
          }
        };
  }

  /** An admitted attempt of a client id from an address. */
  record Attempt(String clientId, String address) {
    String pair() {
      return clientId + '\n' + address;
    }
  }

  /**
   * Admits an attempt of the client id from the address, or answers the nanoseconds until one would
   * be admitted. Remembers nothing either way.
   */
  synchronized AttemptOrWait admit(String clientId, String address, long nowNanos) {
    Attempt attempt = new Attempt(clientId, address);
    long waitNanos = pairs.waitNanos(attempt.pair(), nowNanos);
    if (!trusted(attempt, nowNanos)) {
      waitNanos =
          Math.max(
              waitNanos,
              Math.max(
                  addresses.waitNanos(address, nowNanos), clients.waitNanos(clientId, nowNanos)));
    }
    return waitNanos > 0 ? new AttemptOrWait(null, waitNanos) : new AttemptOrWait(attempt, 0);
  }

  /** The attempt authenticated the client: its pair is trusted from now on. */
  synchronized void succeeded(Attempt attempt, long nowNanos) {
    lastSuccess.put(attempt.pair(), nowNanos);
  }

  /** The attempt ended without authenticating the client: one failure of each kind. */
  synchronized void failed(Attempt attempt, long nowNanos) {
    pairs.take(attempt.pair(), nowNanos);
    addresses.take(attempt.address(), nowNanos);
    clients.take(attempt.clientId(), nowNanos);
  }

  private boolean trusted(Attempt attempt, long nowNanos) {
    Long at = lastSuccess.get(attempt.pair());
    return at != null && nowNanos - at <= trustedForNanos;
  }

  boolean enabled() {
    return limits.enabled();
  }

  /** Ids, addresses, pairs or trusted pairs remembered, whichever are most. */
  synchronized int tracked() {
    return Math.max(
        Math.max(pairs.byKey.size(), lastSuccess.size()),
        Math.max(addresses.byKey.size(), clients.byKey.size()));
  }

  /** Either an admitted attempt or how long to wait. */
  record AttemptOrWait(Attempt attempt, long waitNanos) {}

  /**
   * Failure buckets by key, at most {@code maxTracked}, the least recently used forgotten first; a
   * key without a bucket has no failures.
   */
  private static final class Buckets {
    private final int capacity;
    private final long windowNanos;
    private final Map<String, Bucket> byKey;

    Buckets(int capacity, long windowNanos, int maxTracked) {
      this.capacity = capacity;
      this.windowNanos = windowNanos;
      this.byKey =
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
              return size() > maxTracked;
            }
          };
    }

    long waitNanos(String key, long nowNanos) {
      Bucket bucket = byKey.get(key);
      return bucket == null ? 0 : bucket.waitNanos(nowNanos);
    }

    void take(String key, long nowNanos) {
      byKey.computeIfAbsent(key, k -> new Bucket(capacity, windowNanos, nowNanos)).take(nowNanos);
    }
  }

  /** Failures still allowed, refilled evenly: {@code capacity} per window. Not thread-safe. */
  static final class Bucket {
    private final double capacity;
    private final double perNano;
    private double left;
    private long updatedNanos;

    Bucket(int capacity, long windowNanos, long nowNanos) {
      this.capacity = capacity;
      this.perNano = (double) capacity / windowNanos;
      this.left = capacity;
      this.updatedNanos = nowNanos;
    }

    private void refill(long nowNanos) {
      left = Math.min(capacity, left + Math.max(0, nowNanos - updatedNanos) * perNano);
      updatedNanos = Math.max(updatedNanos, nowNanos);
    }

    long waitNanos(long nowNanos) {
      refill(nowNanos);
      return left >= 1 ? 0 : (long) Math.ceil((1 - left) / perNano);
    }

    void take(long nowNanos) {
      refill(nowNanos);
      left = Math.max(0, left - 1);
    }
  }
}
