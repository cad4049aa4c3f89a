package io.fleetline.api.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts failed client authentications per (client id, address), per address and per client id, and
 * says before a secret is checked whether another attempt is allowed, so that neither guessing nor
 * the cost of hashing the guesses is unbounded.
 *
 * <p>An attempt takes one failure from each bucket up front and gives them back when it succeeds,
 * so concurrent guesses cannot overrun a limit. Limiting by client id alone would let anyone lock a
 * real client out with a few wrong secrets; limiting by (id, address) and by address only blocks
 * the attacker's own addresses, and the looser per-id bound (against guesses spread over many
 * addresses) holds back only addresses that have failed for that id themselves, so a client
 * authenticating from its usual address is never refused because of someone else's failures.
 */
@Component
class FailedClientAuthentications {

  private final ClientAuthenticationLimits limits;
  private final Buckets pairs;
  private final Buckets addresses;
  private final Buckets clients;

  FailedClientAuthentications(ClientAuthenticationLimits limits) {
    if (Math.min(limits.perClientAndAddress(), Math.min(limits.perAddress(), limits.perClient()))
            < 1
        || limits.maxConcurrent() < 1
        || limits.window().isNegative()
        || limits.window().isZero()) {
      throw new IllegalStateException(
          "fleetline.auth.failed-authentications: every limit must be 1 or more, the window"
              + " longer than zero");
    }
    this.limits = limits;
    long windowNanos = limits.window().toNanos();
    this.pairs = new Buckets(limits.perClientAndAddress(), windowNanos, limits.maxTracked());
    this.addresses = new Buckets(limits.perAddress(), windowNanos, limits.maxTracked());
    this.clients = new Buckets(limits.perClient(), windowNanos, limits.maxTracked());
  }

  /** An admitted attempt: the failures it took, to give back if it succeeds. */
  record Attempt(Bucket pair, Bucket address, Bucket client) {}

  /**
   * Admits an attempt of the client id from the address and takes a failure from its buckets, or
   * answers the nanoseconds until one would be admitted.
   */
  synchronized AttemptOrWait admit(String clientId, String address, long nowNanos) {
    Bucket pair = pairs.of(clientId + '\n' + address, nowNanos);
    Bucket fromAddress = addresses.of(address, nowNanos);
    Bucket client = clients.of(clientId, nowNanos);
    boolean cleanAddress = pair.isFull(nowNanos);
    long waitNanos =
        Math.max(
            Math.max(pair.waitNanos(nowNanos), fromAddress.waitNanos(nowNanos)),
            cleanAddress ? 0 : client.waitNanos(nowNanos));
    if (waitNanos > 0) {
      return new AttemptOrWait(null, waitNanos);
    }
    pair.take();
    fromAddress.take();
    boolean tookFromClient = client.waitNanos(nowNanos) == 0;
    if (tookFromClient) {
      client.take();
    }
    return new AttemptOrWait(new Attempt(pair, fromAddress, tookFromClient ? client : null), 0);
  }

  /** The attempt authenticated the client, or was not made: it was no failure. */
  synchronized void noFailure(Attempt attempt) {
    attempt.pair().giveBack();
    attempt.address().giveBack();
    if (attempt.client() != null) {
      attempt.client().giveBack();
    }
  }

  boolean enabled() {
    return limits.enabled();
  }

  /** Ids, addresses or pairs remembered, whichever are most. */
  synchronized int tracked() {
    return Math.max(pairs.byKey.size(), Math.max(addresses.byKey.size(), clients.byKey.size()));
  }

  /** Either an admitted attempt or how long to wait. */
  record AttemptOrWait(Attempt attempt, long waitNanos) {}

  /** Buckets by key, at most {@code maxTracked}, the least recently used forgotten first. */
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

    Bucket of(String key, long nowNanos) {
      return byKey.computeIfAbsent(key, k -> new Bucket(capacity, windowNanos, nowNanos));
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
      left = Math.min(capacity, left + (nowNanos - updatedNanos) * perNano);
      updatedNanos = nowNanos;
    }

    boolean isFull(long nowNanos) {
      refill(nowNanos);
      return left >= capacity;
    }

    long waitNanos(long nowNanos) {
      refill(nowNanos);
      return left >= 1 ? 0 : (long) Math.ceil((1 - left) / perNano);
    }

    void take() {
      left -= 1;
    }

    void giveBack() {
      left = Math.min(capacity, left + 1);
    }
  }
}
