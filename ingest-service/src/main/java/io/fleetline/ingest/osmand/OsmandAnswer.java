package io.fleetline.ingest.osmand;

import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.intake.IntakeResult;
import io.fleetline.ingest.transport.BodyException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the OsmAnd port answers: a status, a JSON body, and whether the connection must close after
 * it (when the rest of the request was not read, or the client is refused).
 *
 * @param retryAfterSeconds the {@code Retry-After} header's value, or 0 for none
 */
record OsmandAnswer(
    int status, String contentType, byte[] body, long retryAfterSeconds, boolean close) {

  private static final String JSON = "application/json";
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final byte[] ONE_ACCEPTED =
      "{\"accepted\":1,\"rejected\":[]}".getBytes(StandardCharsets.US_ASCII);

  /** {@code 200} with what became of each position; a lone accepted one has its bytes ready. */
  static OsmandAnswer stored(IntakeResult result) {
    if (result.accepted() == 1 && result.rejected().isEmpty()) {
      return new OsmandAnswer(200, JSON, ONE_ACCEPTED, 0, false);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted", result.accepted());
    body.put("rejected", result.rejected());
    return new OsmandAnswer(200, JSON, FleetlineJson.write(body), 0, false);
  }

  /** An RFC 9457 problem of Fleetline's problem types. */
  static OsmandAnswer problem(int status, String type, String title, String detail) {
    return problem(status, type, title, detail, Map.of());
  }

  static OsmandAnswer problem(
      int status, String type, String title, String detail, Map<String, Object> extra) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "https://fleetline.io/problems/" + type);
    problem.put("title", title);
    problem.put("status", status);
    if (detail != null) {
      problem.put("detail", detail);
    }
    problem.put("instance", "/");
    problem.putAll(extra);
    return new OsmandAnswer(status, PROBLEM_JSON, FleetlineJson.write(problem), 0, false);
  }

  /** The answer to a body that could not be taken. */
  static OsmandAnswer of(BodyException e) {
    BodyException.Kind kind = e.kind();
    return problem(kind.status(), kind.type(), kind.title(), e.getMessage());
  }

  OsmandAnswer retryAfter(long seconds) {
    return new OsmandAnswer(status, contentType, body, seconds, close);
  }

  OsmandAnswer closing() {
    return new OsmandAnswer(status, contentType, body, retryAfterSeconds, true);
  }
}
