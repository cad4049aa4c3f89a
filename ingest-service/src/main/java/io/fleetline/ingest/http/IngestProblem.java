package io.fleetline.ingest.http;

import io.fleetline.ingest.transport.BodyException;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An RFC 9457 problem answered to a device, with a stable type per kind of problem. */
class IngestProblem extends ErrorResponseException {

  IngestProblem(
      HttpStatus status, String type, String title, String detail, Map<String, Object> properties) {
    super(status, problem(status, type, title, detail, properties), null);
  }

  static IngestProblem unauthorized(String detail) {
    return new IngestProblem(
        HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail, Map.of());
  }

  static IngestProblem tooLarge(String detail) {
    return new IngestProblem(
        HttpStatus.CONTENT_TOO_LARGE, "too-large", "Request too large", detail, Map.of());
  }

  static IngestProblem malformed(String field, String detail) {
    return new IngestProblem(
        HttpStatus.BAD_REQUEST, "malformed", "Malformed request", detail, Map.of("field", field));
  }

  /** The answer to a body that could not be taken: 413, 400, 415 or 408. */
  static IngestProblem body(BodyException e) {
    BodyException.Kind kind = e.kind();
    return new IngestProblem(
        HttpStatus.valueOf(kind.status()),
        kind.type(),
        kind.title(),
        e.getMessage(),
        kind == BodyException.Kind.MALFORMED_ENCODING ? Map.of("field", "") : Map.of());
  }

  static IngestProblem unavailable(String detail) {
    return new IngestProblem(
        HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Temporarily unavailable", detail, Map.of());
  }

  private static ProblemDetail problem(
      HttpStatus status, String type, String title, String detail, Map<String, Object> properties) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create("https://fleetline.io/problems/" + type));
    problem.setTitle(title);
    properties.forEach(problem::setProperty);
    return problem;
  }
}
