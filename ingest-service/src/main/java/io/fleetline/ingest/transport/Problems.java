package io.fleetline.ingest.transport;

import io.fleetline.common.FleetlineJson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes an RFC 9457 problem straight to a response, for answers given before Spring MVC. */
public final class Problems {

  private Problems() {}

  public static void write(
      HttpServletResponse response, int status, String type, String title, String detail)
      throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "https://fleetline.io/problems/" + type);
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    byte[] body = FleetlineJson.write(problem);
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** The answer to a body that could not be taken, as a status and a problem type. */
  public static void write(HttpServletResponse response, BodyException e) throws IOException {
    BodyException.Kind kind = e.kind();
    write(response, kind.status(), kind.type(), kind.title(), e.getMessage());
  }
}
