package io.fleetline.api.auth;

import io.fleetline.api.limits.SourceAddresses;
import io.fleetline.api.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code 429} with {@code Retry-After} to a request for the sign-in form or the
 * authorization endpoint that carries no sign-in session once its source address has begun too many
 * (see {@link NewSignInSessionLimits}): such requests need no credentials, and each may write a
 * session row that lives for the session's timeout, so without a bound anyone could fill the table.
 * A browser already in a sign-in continues unhindered. The counts are this instance's own.
 */
final class NewSignInSessionLimitFilter extends OncePerRequestFilter {

  private final ProblemResponses problems;
  private final Set<String> signInPaths;
  private final int capacity;
  private final long windowNanos;
  private final Map<String, FailedClientAuthentications.Bucket> addresses;

  NewSignInSessionLimitFilter(
      NewSignInSessionLimits limits, ProblemResponses problems, Set<String> signInPaths) {
    this.problems = problems;
    this.signInPaths = Set.copyOf(signInPaths);
    this.capacity = limits.perAddress();
    this.windowNanos = limits.window().toNanos();
    int maxTracked = limits.maxTracked();
    this.addresses =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(
              Map.Entry<String, FailedClientAuthentications.Bucket> eldest) {
            return size() > maxTracked;
          }
        };
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !signInPaths.contains(request.getServletPath()) || request.getSession(false) != null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long waitNanos = take(SourceAddresses.key(request.getRemoteAddr()), System.nanoTime());
    if (waitNanos > 0) {
      problems.tooManyRequests(request, response, Math.max(1, (long) Math.ceil(waitNanos / 1e9)));
      return;
    }
    chain.doFilter(request, response);
  }

  /** Takes one new session from the address's bucket: 0, or the nanoseconds until one is left. */
  private synchronized long take(String address, long nowNanos) {
    var bucket =
        addresses.computeIfAbsent(
            address, a -> new FailedClientAuthentications.Bucket(capacity, windowNanos, nowNanos));
    long waitNanos = bucket.waitNanos(nowNanos);
    if (waitNanos == 0) {
      bucket.take(nowNanos);
    }
    return waitNanos;
  }
}
