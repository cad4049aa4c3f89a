package io.fleetline.api.auth;

import io.fleetline.api.limits.SourceAddresses;
import io.fleetline.api.user.FleetUser;
import io.fleetline.api.user.FleetUsers;
import io.fleetline.api.user.UserPasswords;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks a person's email and password at the console's sign-in form. Wrong passwords are limited
 * per account and per source address, and at most as many passwords are hashed at once as client
 * secrets are, so that guessing cannot take every core. The signed-in principal is the person's id;
 * an unknown email, a disabled account and a wrong password are one and the same failure.
 */
final class FleetUserSignIn implements AuthenticationProvider {

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

  @Override
  public Authentication authenticate(Authentication authentication) {
    String email = authentication.getName() == null ? "" : authentication.getName().strip();
    String password =
        authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
    String address =
        authentication.getDetails() instanceof WebAuthenticationDetails details
            ? SourceAddresses.key(details.getRemoteAddress())
            : "unknown";
    long waitNanos = failures.waitNanos(email, address, System.nanoTime());
    if (waitNanos > 0) {
      throw new SignInsLimited(Math.max(1, (long) Math.ceil(waitNanos / 1e9)));
    }
    if (!permit()) {
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
      failures.failed(email, address, System.nanoTime());
      throw new BadCredentialsException("wrong email or password");
    }
    users.signedIn(user.id());
    return UsernamePasswordAuthenticationToken.authenticated(
        user.id().toString(), null, List.of(new SimpleGrantedAuthority(AUTHORITY)));
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
