package io.fleetline.api.auth;

import io.fleetline.api.auth.SignInAttempts.Bucket;
import io.fleetline.api.auth.SignInAttempts.Kind;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Counts the new sign-in sessions each source address begins, for every instance together (see
 * {@link SignInAttempts} and {@link NewSignInSessionLimits}).
 */
@Component
class NewSignInSessions {

  private final SignInAttempts attempts;
  private final Duration window;
  private final Duration step;

  NewSignInSessions(SignInAttempts attempts, NewSignInSessionLimits limits) {
    this.attempts = attempts;
    this.window = limits.window();
    this.step = window.dividedBy(limits.perAddress());
  }

  /**
   * Counts one new session of the address if it may begin one more.
   *
   * @return zero when counted, otherwise how long until it may
   * @throws SignInAttempts.CountsUnavailable when the counts cannot be reached
   */
  Duration begin(String address) {
    return attempts.take(
        window,
        List.of(
            new Bucket(
                Kind.NEW_SIGN_IN_SESSION_ADDRESS, SignInAttempts.addressKey(address), step)));
  }
}
