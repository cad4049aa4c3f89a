package io.fleetline.api.limits;

import io.fleetline.api.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits each API client (the token's subject) to its request rate with an in-memory token bucket
 * per client; over it, the answer is {@code 429} with {@code Retry-After}. A client's own rate
 * travels in its token ({@code rate_limit} claim), the configured default applies otherwise. Each
 * instance limits on its own, so N instances allow up to N times the rate.
 */
@Component
public class RateLimitFilter extends OncePerRequestFilter {

  /** The claim that carries a client's own requests-per-second. */
  public static final String CLAIM = "rate_limit";

  private final RateLimitProperties properties;
  private final ProblemResponses problems;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  RateLimitFilter(RateLimitProperties properties, ProblemResponses problems) {
    this.properties = properties;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    if (!properties.enabled() || !(caller != null && caller.getPrincipal() instanceof Jwt jwt)) {
      chain.doFilter(request, response);
      return;
    }
    double rate = rateOf(jwt);
    long now = System.nanoTime();
    TokenBucket bucket =
        buckets.computeIfAbsent(
            jwt.getSubject() + "/" + rate,
            k -> new TokenBucket(rate, Math.max(1, rate * properties.burst()), now));
    long waitNanos = bucket.tryTake(now);
    if (waitNanos > 0) {
      long seconds = Math.max(1, (long) Math.ceil(waitNanos / 1e9));
      problems.tooManyRequests(request, response, seconds);
      return;
    }
    if (buckets.size() > properties.maxClients()) {
      forgetIdlest();
    }
    chain.doFilter(request, response);
  }

  /**
   * The client's own rate, at most the platform's maximum (tokens issued before the maximum, or by
   * an external issuer, may claim more); the default when the claim is absent or not a positive
   * number.
   */
  private double rateOf(Jwt jwt) {
    if (jwt.getClaims().get(CLAIM) instanceof Number own && own.doubleValue() > 0) {
      return Math.min(own.doubleValue(), properties.maxClientRequestsPerSecond());
    }
    return properties.requestsPerSecond();
  }

  private void forgetIdlest() {
    buckets.entrySet().stream()
        .sorted(Comparator.comparingLong(e -> e.getValue().updatedNanos()))
        .limit(buckets.size() / 10 + 1)
        .map(Map.Entry::getKey)
        .toList()
        .forEach(buckets::remove);
  }
}
