package io.fleetline.api.auth;

import io.fleetline.api.console.ConsoleProperties;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts wrong passwords at the console's sign-in form per account and per source address, and says
 * before a password is checked whether another attempt is allowed: guessing one person's password
 * stops after a few tries, and one address cannot try many accounts. Like {@link
 * FailedClientAuthentications}, each limit is a bucket that refills over the window, and at most
 * {@code maxTracked} accounts and addresses are remembered, the least recently seen forgotten
 * first. The counts are this instance's own: several instances each allow the limits.
 */
@Component
class FailedSignIns {

  private static final int MAX_KEY_LENGTH = 254;

  private final Map<String, FailedClientAuthentications.Bucket> accounts;
  private final Map<String, FailedClientAuthentications.Bucket> addresses;
  private final ConsoleProperties.FailedSignIns limits;

  FailedSignIns(ConsoleProperties console) {
    this.limits = console.failedSignIns();
    if (limits.perAccount() < 1
        || limits.perAddress() < 1
        || limits.maxTracked() < 1
        || limits.window().isNegative()
        || limits.window().isZero()) {
      throw new IllegalStateException(
          "fleetline.console.failed-sign-ins: every limit must be 1 or more, the window longer"
              + " than zero");
    }
    this.accounts = lru(limits.maxTracked());
    this.addresses = lru(limits.maxTracked());
  }

  /** Nanoseconds until the account may be tried from the address again; 0 when it may now. */
  synchronized long waitNanos(String email, String address, long nowNanos) {
    return Math.max(
        waitNanos(accounts, account(email), nowNanos), waitNanos(addresses, address, nowNanos));
  }

  /** A wrong password (or an unknown or disabled account) from the address. */
  synchronized void failed(String email, String address, long nowNanos) {
    take(accounts, account(email), limits.perAccount(), nowNanos);
    take(addresses, address, limits.perAddress(), nowNanos);
  }

  private static String account(String email) {
    String key = email.strip().toLowerCase(Locale.ROOT);
    return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
  }

  private static long waitNanos(
      Map<String, FailedClientAuthentications.Bucket> buckets, String key, long nowNanos) {
    var bucket = buckets.get(key);
    return bucket == null ? 0 : bucket.waitNanos(nowNanos);
  }

  private void take(
      Map<String, FailedClientAuthentications.Bucket> buckets,
      String key,
      int capacity,
      long nowNanos) {
    buckets
        .computeIfAbsent(
            key,
            k ->
                new FailedClientAuthentications.Bucket(
                    capacity, limits.window().toNanos(), nowNanos))
        .take(nowNanos);
  }

  private static Map<String, FailedClientAuthentications.Bucket> lru(int maxTracked) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(
          Map.Entry<String, FailedClientAuthentications.Bucket> eldest) {
        return size() > maxTracked;
      }
    };
  }
}
