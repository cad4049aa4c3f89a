package io.fleetline.api.problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.util.List;
import java.util.Map;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
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
