package io.fleetline.api.auth;

import io.fleetline.api.limits.SourceAddresses;
import io.fleetline.api.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code 429} with {@code Retry-After} to a request for the sign-in form or the
 * authorization endpoint that carries no sign-in session once its source address has begun too many
 * (see {@link NewSignInSessionLimits}): such requests need no credentials, and each may write a
 * session row that lives for the session's timeout, so without a bound anyone could fill the table.
 * A browser already in a sign-in continues unhindered. The counts are shared by all instances; when
 * they cannot be reached the request is answered {@code 503}.
 */
final class NewSignInSessionLimitFilter extends OncePerRequestFilter {

  /** What a request is told to wait while the counts cannot be reached. */
  static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 60;

  private final NewSignInSessions sessions;
  private final ProblemResponses problems;
  private final Set<String> signInPaths;

  NewSignInSessionLimitFilter(
      NewSignInSessions sessions, ProblemResponses problems, Set<String> signInPaths) {
    this.sessions = sessions;
    this.problems = problems;
    this.signInPaths = Set.copyOf(signInPaths);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !signInPaths.contains(request.getServletPath()) || request.getSession(false) != null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Duration wait;
    try {
      wait = sessions.begin(SourceAddresses.key(request.getRemoteAddr()));
    } catch (SignInAttempts.CountsUnavailable e) {
      problems.signInUnavailable(request, response, UNAVAILABLE_RETRY_AFTER_SECONDS);
      return;
    }
    if (!wait.isZero()) {
      problems.tooManyRequests(request, response, SignInAttempts.retryAfterSeconds(wait));
      return;
    }
    chain.doFilter(request, response);
  }
}
