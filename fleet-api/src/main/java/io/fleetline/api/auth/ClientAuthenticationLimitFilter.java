package io.fleetline.api.auth;

import io.fleetline.api.auth.FailedClientAuthentications.AttemptOrWait;
import io.fleetline.api.limits.SourceAddresses;
import io.fleetline.api.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code 429} with {@code Retry-After}, before any secret is hashed, to a client
 * authentication whose client id or source address has failed too often (see {@link
 * FailedClientAuthentications}), or when too many are being checked at once for longer than a short
 * wait; an admitted attempt that ends without authenticating the client counts as a failure. Runs
 * in the authorization server's filter chain, just before its client authentication.
 */
final class ClientAuthenticationLimitFilter extends OncePerRequestFilter {

  private static final OAuth2ErrorHttpMessageConverter ERRORS =
      new OAuth2ErrorHttpMessageConverter();

  private static final String ATTEMPT =
      ClientAuthenticationLimitFilter.class.getName() + ".attempt";

  private static final String SUCCEEDED =
      ClientAuthenticationLimitFilter.class.getName() + ".succeeded";

  /** Client ids are short; longer ones are told apart by their first characters only. */
  private static final int MAX_KEY_LENGTH = 256;

  private final FailedClientAuthentications failures;
  private final ProblemResponses problems;
  private final Set<String> clientAuthenticationPaths;
  private final Semaphore checking;
  private final long maxWaitNanos;
  private final Predicate<String> publicClient;

  ClientAuthenticationLimitFilter(
      FailedClientAuthentications failures,
      ProblemResponses problems,
      Set<String> clientAuthenticationPaths,
      int maxConcurrent,
      Duration maxWait) {
    this(failures, problems, clientAuthenticationPaths, maxConcurrent, maxWait, id -> false);
  }

  /**
   * As above, leaving alone requests of public clients that carry no secret: they have no secret to
   * guess and nothing to hash, and counting their failures would let anyone lock every person out
   * of signing in.
   */
  ClientAuthenticationLimitFilter(
      FailedClientAuthentications failures,
      ProblemResponses problems,
      Set<String> clientAuthenticationPaths,
      int maxConcurrent,
      Duration maxWait,
      Predicate<String> publicClient) {
    this.publicClient = publicClient;
    this.failures = failures;
    this.checking = new Semaphore(maxConcurrent, true);
    this.maxWaitNanos = maxWait.toNanos();
    this.problems = problems;
    this.clientAuthenticationPaths = clientAuthenticationPaths;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !failures.enabled()
        || !"POST".equals(request.getMethod())
        || !clientAuthenticationPaths.contains(request.getServletPath());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String clientId = clientId(request);
    if (clientId == null || (publicClient.test(clientId) && !carriesSecret(request))) {
      chain.doFilter(request, response);
      return;
    }
    AttemptOrWait admission =
        failures.admit(clientId, SourceAddresses.key(request.getRemoteAddr()), System.nanoTime());
    if (admission.attempt() == null) {
      problems.tooManyRequests(
          request, response, Math.max(1, (long) Math.ceil(admission.waitNanos() / 1e9)));
      return;
    }
    if (!permit()) {
      problems.tooManyRequests(request, response, 1);
      return;
    }
    try {
      request.setAttribute(ATTEMPT, admission.attempt());
      chain.doFilter(request, response);
    } finally {
      checking.release();
      // Counted once it is over: an attempt in progress is no failure yet.
      if (request.getAttribute(SUCCEEDED) == null) {
        failures.failed(admission.attempt(), System.nanoTime());
      }
    }
  }

  /**
   * Waits up to {@code maxWait} for one of the {@code maxConcurrent} checks: a burst of legitimate
   * token requests queues briefly instead of being refused, while hashing never takes more cores.
   */
  private boolean permit() {
    try {
      return checking.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Client authentications waiting for a check to finish, now. */
  int waiting() {
    return checking.getQueueLength();
  }

  /**
   * Takes the place of the client authentication's default success handler (which only stores the
   * authentication) and trusts the client from the attempt's address.
   */
  void authenticated(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
    if (request.getAttribute(ATTEMPT) instanceof FailedClientAuthentications.Attempt attempt) {
      failures.succeeded(attempt, System.nanoTime());
      request.setAttribute(SUCCEEDED, Boolean.TRUE);
    }
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(authentication);
    SecurityContextHolder.setContext(context);
  }

  /**
   * Takes the place of the client authentication's default failure handler: the same answers,
   * except that {@code invalid_client} carries no description, which told an unknown client id
   * ("client_id") from a wrong secret ("client_secret").
   */
  void failed(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    SecurityContextHolder.clearContext();
    OAuth2Error error =
        e instanceof OAuth2AuthenticationException oauth2
            ? oauth2.getError()
            : new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
    ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
    if (OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())) {
      answer.setStatusCode(HttpStatus.UNAUTHORIZED);
      error = new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
    } else {
      answer.setStatusCode(HttpStatus.BAD_REQUEST);
    }
    ERRORS.write(error, null, answer);
  }

  /** Whether the request authenticates its client with a secret, which is then hashed. */
  private static boolean carriesSecret(HttpServletRequest request) {
    return request.getHeader(HttpHeaders.AUTHORIZATION) != null
        || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
        || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null;
  }

  /** The client id of HTTP Basic or form client authentication; null when there is none. */
  static String clientId(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    String id = null;
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        id = URLDecoder.decode(colon < 0 ? pair : pair.substring(0, colon), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformed) {
        // not Base64 or not URL-encoded: the authorization server refuses it without hashing
        return null;
      }
    } else {
      // Any other Authorization header is ignored by client authentication, which then reads the
      // form's client_id and client_secret.
      id = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
    }
    if (id == null || id.isEmpty()) {
      return null;
    }
    return id.length() > MAX_KEY_LENGTH ? id.substring(0, MAX_KEY_LENGTH) : id;
  }
}
