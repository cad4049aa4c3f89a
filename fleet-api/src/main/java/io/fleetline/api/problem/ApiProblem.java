package io.fleetline.api.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An RFC 9457 problem the API answers with; the type names the kind of problem. */
public class ApiProblem extends ErrorResponseException {

  public ApiProblem(HttpStatus status, String type, String title, String detail) {
    super(status, problem(status, type, title, detail), null);
  }

  /** Adds a property (e.g. {@code field}) to the problem body. */
  public ApiProblem with(String name, Object value) {
    getBody().setProperty(name, value);
    return this;
  }

  public static ApiProblem notFound(String what) {
    return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " was not found.");
  }

  public static ApiProblem forbidden(String detail) {
    return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
  }

  public static ApiProblem conflict(String detail) {
    return new ApiProblem(HttpStatus.CONFLICT, "conflict", "Conflict", detail);
  }

  public static ApiProblem badRequest(String field, String detail) {
    return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail)
        .with("field", field);
  }

  static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create("https://fleetline.io/problems/" + type));
    problem.setTitle(title);
    return problem;
  }
}
