package io.fleetline.api.problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Problem details for every error the MVC layer raises; validation errors name each field that is
 * wrong, so a client can point at it.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  /** PostgreSQL's SQLSTATE of a unique violation. */
  private static final String UNIQUE_VIOLATION = "23505";

  private static final String FOREIGN_KEY_VIOLATION = "23503";

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

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    String field = "request";
    String message = "is invalid";
    for (ParameterValidationResult result : e.getParameterValidationResults()) {
      field = result.getMethodParameter().getParameterName();
      var annotation = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
      if (annotation != null && !annotation.name().isEmpty()) {
        field = annotation.name();
      }
      if (!result.getResolvableErrors().isEmpty()
          && result.getResolvableErrors().get(0).getDefaultMessage() != null) {
        message = result.getResolvableErrors().get(0).getDefaultMessage();
      }
      break;
    }
    return badRequest(field, field + " " + message);
  }

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String field = e.getPropertyName() == null ? "request" : e.getPropertyName();
    return badRequest(field, field + " has an invalid value '" + e.getValue() + "'");
  }

  @Override
  protected ResponseEntity<Object> handleMissingServletRequestParameter(
      MissingServletRequestParameterException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return badRequest(e.getParameterName(), e.getParameterName() + " is required");
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return badRequest("body", "the request body is not readable JSON of the expected shape");
  }

  /** Constraints on request parameters of a {@code @Validated} controller. */
  @ExceptionHandler(ConstraintViolationException.class)
  ResponseEntity<Object> constraintViolation(ConstraintViolationException e) {
    ConstraintViolation<?> violation = e.getConstraintViolations().iterator().next();
    String field = "request";
    for (Path.Node node : violation.getPropertyPath()) {
      field = node.getName();
    }
    return badRequest(field, field + " " + violation.getMessage());
  }

  private static ResponseEntity<Object> badRequest(String field, String detail) {
    ProblemDetail problem =
        ApiProblem.problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    problem.setProperty("field", field);
    return ResponseEntity.badRequest().body(problem);
  }

  /**
   * A unique key of the product (a device identifier, a vehicle's VIN) taken by a concurrent
   * request is a conflict, and so is a record referred to that a concurrent request deleted (a
   * foreign key); any other refusal of the database is a value it cannot store, told without its
   * SQL.
   */
  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<ProblemDetail> dataIntegrityViolation(DataIntegrityViolationException e) {
    String state = sqlState(e);
    if (UNIQUE_VIOLATION.equals(state) || FOREIGN_KEY_VIOLATION.equals(state)) {
      return ResponseEntity.status(HttpStatus.CONFLICT)
          .body(
              ApiProblem.problem(
                  HttpStatus.CONFLICT,
                  "conflict",
                  "Conflict",
                  "The request conflicts with an existing record."));
    }
    log.debug("Refused by the database: {}", e.getMostSpecificCause().getMessage());
    ProblemDetail problem =
        ApiProblem.problem(
            HttpStatus.BAD_REQUEST,
            "invalid-request",
            "Invalid request",
            "The request holds a value that cannot be stored.");
    problem.setProperty("field", "body");
    return ResponseEntity.badRequest().body(problem);
  }

  /** Anything unforeseen: a 500 that tells the client nothing of the service's internals. */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) throws Exception {
    if (e instanceof AccessDeniedException || e instanceof AuthenticationException) {
      throw e; // answered by the security layer
    }
    if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
      return null; // nobody is left to answer
    }
    log.error("Unexpected error", e);
    return ResponseEntity.internalServerError()
        .body(
            ApiProblem.problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal-error",
                "Internal error",
                "The request could not be completed."));
  }

  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }
}
