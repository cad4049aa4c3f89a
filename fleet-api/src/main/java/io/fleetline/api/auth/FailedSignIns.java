package io.fleetline.api.auth;

import io.fleetline.api.auth.SignInAttempts.Bucket;
import io.fleetline.api.auth.SignInAttempts.Kind;
import io.fleetline.api.console.ConsoleProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Limits wrong passwords at the console's sign-in form per account and per source address, counted
 * in the database for every instance together (see {@link SignInAttempts}): guessing one person's
 * password stops after a few tries, and one address cannot try many accounts. Each limit is a
 * bucket that refills evenly over the window, so an account that someone else locked opens again
 * for one try a step ({@code window / per-account}) after their last wrong password, not a window
 * later.
 *
 * <p>An attempt is counted when it is admitted, before its password is checked, so that attempts in
 * flight at once on several instances cannot get past a limit; a sign-in that succeeds gives its
 * count back, and so only wrong passwords (and unknown or disabled accounts) remain counted.
 */
@Component
class FailedSignIns {

  private final SignInAttempts attempts;
  private final Duration window;
  private final Duration accountStep;
  private final Duration addressStep;

  FailedSignIns(SignInAttempts attempts, ConsoleProperties console) {
    var limits = console.failedSignIns();
    if (limits.perAccount() < 1
        || limits.perAddress() < 1
        || limits.window().isNegative()
        || limits.window().isZero()) {
      throw new IllegalStateException(
          "fleetline.console.failed-sign-ins: every limit must be 1 or more, the window longer"
              + " than zero");
    }
    this.attempts = attempts;
    this.window = limits.window();
    this.accountStep = window.dividedBy(limits.perAccount());
    this.addressStep = window.dividedBy(limits.perAddress());
  }

  /** An attempt let through to its password check, or how long to wait before the next. */
  record Admission(List<Bucket> counted, Duration retryIn) {
    boolean admitted() {
      return retryIn.isZero();
    }
  }

  /**
   * Counts an attempt for the account from the address if both allow one more.
   *
   * @throws SignInAttempts.CountsUnavailable when the counts cannot be reached
   */
  Admission admit(String email, String address) {
    // The account's row before the address's, always: concurrent attempts lock in one order.
    List<Bucket> counted =
        List.of(
            new Bucket(Kind.FAILED_SIGN_IN_ACCOUNT, SignInAttempts.accountKey(email), accountStep),
            new Bucket(
                Kind.FAILED_SIGN_IN_ADDRESS, SignInAttempts.addressKey(address), addressStep));
    return new Admission(counted, attempts.take(window, counted));
  }

  /** The admitted attempt signed in, or was never checked: it no longer counts. */
  void uncount(Admission admission) {
    attempts.giveBack(admission.counted());
  }
}
