package io.fleetline.api.auth;

import io.fleetline.api.limits.SourceAddresses;
import io.fleetline.api.user.FleetUser;
import io.fleetline.api.user.FleetUsers;
import io.fleetline.api.user.UserPasswords;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.transaction.TransactionException;

/**
 * Checks a person's email and password at the console's sign-in form. Wrong passwords are limited
 * per account and per source address, for all instances together (see {@link FailedSignIns}); when
 * those counts cannot be reached, no password is checked. At most as many passwords are hashed at
 * once as client secrets are, so that guessing cannot take every core. The signed-in principal is
 * the person's id; an unknown email, a disabled account and a wrong password are one and the same
 * failure.
 */
final class FleetUserSignIn implements AuthenticationProvider {

  private static final Logger log = LoggerFactory.getLogger(FleetUserSignIn.class);

  /** The authority of a signed-in person at the authorization endpoint. */
  static final String AUTHORITY = "ROLE_FLEET_USER";

  private final FleetUsers users;
  private final UserPasswords passwords;
  private final FailedSignIns failures;
  private final Semaphore hashing;
  private final long maxWaitNanos;

  FleetUserSignIn(
      FleetUsers users,
      UserPasswords passwords,
      FailedSignIns failures,
      ClientAuthenticationLimits limits) {
    this.users = users;
    this.passwords = passwords;
    this.failures = failures;
    this.hashing = new Semaphore(limits.maxConcurrent(), true);
    this.maxWaitNanos = limits.maxConcurrentWait().toNanos();
  }

  /** The sign-in was refused before the password was checked; try again after the given time. */
  static final class SignInsLimited extends AuthenticationException {
    private final long retryAfterSeconds;

    SignInsLimited(long retryAfterSeconds) {
      super("too many failed sign-ins");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /**
   * The sign-in was refused because its limits cannot be counted just now. Not an internal error to
   * the sign-in form, which would log each refused attempt with its stack trace while the database
   * is away ({@link SignInAttempts} says so once a minute instead).
   */
  static final class SignInUnavailable extends AuthenticationServiceException {
    SignInUnavailable(Throwable cause) {
      super("the sign-in limits cannot be counted", cause);
    }
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String email = authentication.getName() == null ? "" : authentication.getName().strip();
    String password =
        authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
    String address =
        authentication.getDetails() instanceof WebAuthenticationDetails details
            ? SourceAddresses.key(details.getRemoteAddress())
            : "unknown";
    FailedSignIns.Admission admission;
    try {
      admission = failures.admit(email, address);
    } catch (SignInAttempts.CountsUnavailable e) {
      throw new SignInUnavailable(e);
    }
    if (!admission.admitted()) {
      throw new SignInsLimited(SignInAttempts.retryAfterSeconds(admission.retryIn()));
    }
    if (!permit()) {
      uncount(admission);
      throw new SignInsLimited(1);
    }
    FleetUser user;
    boolean matches;
    try {
      user = email.length() > 254 ? null : users.findByEmail(email).orElse(null);
      matches = passwords.matches(password, user);
    } finally {
      hashing.release();
    }
    if (!matches || !user.enabled()) {
      // Counted already, when it was admitted.
      throw new BadCredentialsException("wrong email or password");
    }
    uncount(admission);
    users.signedIn(user.id());
    return UsernamePasswordAuthenticationToken.authenticated(
        user.id().toString(), null, List.of(new SimpleGrantedAuthority(AUTHORITY)));
  }

  /**
   * Takes back the count of an attempt that signed in or was never checked. Should the database
   * fail just then, the count stays and drains away like a wrong password's.
   */
  private void uncount(FailedSignIns.Admission admission) {
    try {
      failures.uncount(admission);
    } catch (DataAccessException | TransactionException e) {
      log.warn("A sign-in stays counted as failed: {}", e.toString());
    }
  }

  private boolean permit() {
    try {
      return hashing.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
