package io.fleetline.api.problem;

import java.util.List;
import java.util.Map;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Problem details for every error the MVC layer raises; validation errors name each field that is
 * wrong, so a client can point at it.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<Map<String, Object>> errors =
        e.getBindingResult().getFieldErrors().stream()
            .map(
                f ->
                    Map.<String, Object>of(
                        "field",
                        f.getField(),
                        "message",
                        f.getDefaultMessage() == null ? "is invalid" : f.getDefaultMessage()))
            .toList();
    ProblemDetail problem =
        ApiProblem.problem(
            HttpStatus.BAD_REQUEST,
            "invalid-request",
            "Invalid request",
            errors.isEmpty()
                ? "The request is invalid."
                : errors.get(0).get("field") + " " + errors.get(0).get("message"));
    problem.setProperty("errors", errors);
    if (!errors.isEmpty()) {
      problem.setProperty("field", errors.get(0).get("field"));
    }
    return ResponseEntity.badRequest().body(problem);
  }

  /** A unique constraint lost a race that the controller's own check could not see. */
  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<ProblemDetail> conflict(DataIntegrityViolationException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(
            ApiProblem.problem(
                HttpStatus.CONFLICT,
                "conflict",
                "Conflict",
                "The request conflicts with an existing record."));
  }
}
