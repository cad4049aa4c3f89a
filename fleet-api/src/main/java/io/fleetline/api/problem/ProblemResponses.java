package io.fleetline.api.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the security layer's 401 and 403 as problem details, since those are answered by filters
 * before any controller advice can run.
 */
@Component
public class ProblemResponses {

  private final JsonMapper json;

  ProblemResponses(JsonMapper json) {
    this.json = json;
  }

  public void unauthorized(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    write(
        request,
        response,
        ApiProblem.problem(
            HttpStatus.UNAUTHORIZED,
            "unauthorized",
            "Unauthorized",
            "A valid bearer token is required: " + e.getMessage()));
  }

  public void forbidden(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
    write(
        request,
        response,
        ApiProblem.problem(
            HttpStatus.FORBIDDEN,
            "insufficient-scope",
            "Forbidden",
            "The token's scopes do not allow this request."));
  }

  /** {@code 429} with the seconds after which the client may try again. */
  public void tooManyRequests(
      HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds)
      throws IOException {
    writeRetryAfter(
        request,
        response,
        retryAfterSeconds,
        ApiProblem.problem(
            HttpStatus.TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
            "This client exceeded its request rate; retry after " + retryAfterSeconds + " s."));
  }

  /** {@code 429} for a source address with as many requests in progress as it may have. */
  public void tooManyRequestsInProgress(
      HttpServletRequest request,
      HttpServletResponse response,
      long retryAfterSeconds,
      int maxInProgress)
      throws IOException {
    writeRetryAfter(
        request,
        response,
        retryAfterSeconds,
        ApiProblem.problem(
            HttpStatus.TOO_MANY_REQUESTS,
            "too-many-requests-in-progress",
            "Too many requests in progress",
            "This address has "
                + maxInProgress
                + " requests in progress already; retry after "
                + retryAfterSeconds
                + " s."));
  }

  /** {@code 503} for a sign-in refused because its limits cannot be counted just now. */
  public void signInUnavailable(
      HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds)
      throws IOException {
    writeRetryAfter(
        request,
        response,
        retryAfterSeconds,
        ApiProblem.problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "sign-in-unavailable",
            "Signing in is unavailable",
            "Signing in is not possible just now; retry after " + retryAfterSeconds + " s."));
  }

  private void writeRetryAfter(
      HttpServletRequest request,
      HttpServletResponse response,
      long retryAfterSeconds,
      ProblemDetail problem)
      throws IOException {
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    write(request, response, problem);
  }

  /** {@code 413} for a body over the limit. */
  public void payloadTooLarge(
      HttpServletRequest request, HttpServletResponse response, long maxBytes) throws IOException {
    write(
        request,
        response,
        ApiProblem.problem(
            HttpStatus.CONTENT_TOO_LARGE,
            "too-large",
            "Request too large",
            "The request body exceeds " + maxBytes + " bytes."));
  }

  private void write(
      HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
      throws IOException {
    problem.setInstance(URI.create(request.getRequestURI()));
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }
}
