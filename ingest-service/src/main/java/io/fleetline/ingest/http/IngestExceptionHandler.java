package io.fleetline.ingest.http;

import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.publish.PingsNotDurableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns ingest's failures into problem details; {@code WWW-Authenticate} and {@code Retry-After}
 * included.
 */
@RestControllerAdvice
class IngestExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(IngestExceptionHandler.class);

  private final IngestProperties properties;

  IngestExceptionHandler(IngestProperties properties) {
    this.properties = properties;
  }

  @ExceptionHandler(IngestProblem.class)
  ResponseEntity<ProblemDetail> problem(IngestProblem problem) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.getStatusCode());
    if (problem.getStatusCode().value() == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    if (problem.getStatusCode().value() == 503) {
      response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds());
    }
    return response.body(problem.getBody());
  }

  @ExceptionHandler(PingsNotDurableException.class)
  ResponseEntity<ProblemDetail> notDurable(PingsNotDurableException e) {
    log.warn("Answering 503: {}", e.getMessage());
    return problem(
        IngestProblem.unavailable(
            "The pings could not be made durable now; nothing was stored. Retry later."));
  }

  private String retryAfterSeconds() {
    return Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
  }
}
