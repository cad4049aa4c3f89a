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
    return switch (e.kind()) {
      case TOO_LARGE -> tooLarge(e.getMessage());
      case MALFORMED_ENCODING -> malformed("", e.getMessage());
      case UNSUPPORTED_ENCODING ->
          new IngestProblem(
              HttpStatus.UNSUPPORTED_MEDIA_TYPE,
              "unsupported-encoding",
              "Unsupported content encoding",
              e.getMessage(),
              Map.of());
      case TOO_SLOW ->
          new IngestProblem(
              HttpStatus.REQUEST_TIMEOUT,
              "too-slow",
              "Request body too slow",
              e.getMessage(),
              Map.of());
    };
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
