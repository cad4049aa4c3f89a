package io.fleetline.ingest.osmand;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.intake.IntakeResult;
import io.fleetline.ingest.intake.PingIntake;
import io.fleetline.ingest.json.JsonProblems;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.validation.DeviceText;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

/**
 * The OsmAnd protocol endpoint ({@code /} on its own port), for the Traccar Client apps and the
 * many trackers that speak it. Answers {@code 200} once the position is durable — also when it
 * failed validation, because it is then durable in the rejected topic, and a client told anything
 * else would resend the same position forever.
 */
@RestController
class OsmandController {

  private static final String PROTOCOL = DeviceProtocol.OSMAND.wireName();

  private final DeviceRegistry registry;
  private final PingIntake intake;
  private final IngestProperties ingest;

  OsmandController(DeviceRegistry registry, PingIntake intake, IngestProperties ingest) {
    this.registry = registry;
    this.intake = intake;
    this.ingest = ingest;
  }

  @RequestMapping(
      path = "/",
      method = {RequestMethod.GET, RequestMethod.POST})
  ResponseEntity<?> receive(HttpServletRequest request) throws IOException {
    if (!Boolean.TRUE.equals(request.getAttribute(OsmandPortFilter.ON_OSMAND_PORT))) {
      return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", null);
    }
    if (!registry.isLoaded()) {
      return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Registry loading", null);
    }
    Instant receivedAt = Instant.now();
    List<OsmandPing> pings;
    byte[] original;
    if (isJson(request)) {
      byte[] read = OsmandBodyRequest.bodyOf(request);
      original = read != null ? read : request.getInputStream().readNBytes(ingest.maxBodyBytes());
      try {
        pings =
            OsmandJsonParser.parse(
                FleetlineJson.mapper().readTree(original), receivedAt, ingest.maxBatchSize());
      } catch (JacksonException e) {
        throw new OsmandFormatException("", JsonProblems.describe(e));
      }
    } else {
      Map<String, String> params = parameters(request);
      original = query(request, params).getBytes(StandardCharsets.UTF_8);
      pings = List.of(OsmandQueryParser.parse(params, receivedAt));
    }
    String deviceId = pings.get(0).deviceId();
    Optional<DeviceRegistration> device =
        registry.find(new DeviceKey(DeviceProtocol.OSMAND, deviceId));
    if (device.isEmpty()) {
      return problem(
          HttpStatus.NOT_FOUND,
          "unknown-device",
          "Unknown device",
          "No osmand device " + DeviceText.quoted(deviceId) + ".");
    }
    if (!device.get().enabled()) {
      return problem(HttpStatus.FORBIDDEN, "device-disabled", "Device disabled", null);
    }
    List<DecodedPing> items = new ArrayList<>(pings.size());
    for (int i = 0; i < pings.size(); i++) {
      OsmandPing ping = pings.get(i);
      Supplier<byte[]> text = ping.original() != null ? ping.original() : () -> original;
      items.add(DecodedPing.of(i, text, ping.candidate()));
    }
    IntakeResult result = intake.accept(device.get(), PROTOCOL, items);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("accepted", result.accepted(), "rejected", result.rejected()));
  }

  @ExceptionHandler(OsmandFormatException.class)
  ResponseEntity<ProblemDetail> malformed(OsmandFormatException e) {
    ResponseEntity<ProblemDetail> response =
        problem(HttpStatus.BAD_REQUEST, "malformed", "Malformed OsmAnd request", e.getMessage());
    response.getBody().setProperty("field", e.field());
    return response;
  }

  @ExceptionHandler(TooManyPositionsException.class)
  ResponseEntity<ProblemDetail> tooMany(TooManyPositionsException e) {
    return problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Request too large", e.getMessage());
  }

  private static boolean isJson(HttpServletRequest request) {
    String type = request.getContentType();
    return type != null
        && type.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_JSON_VALUE);
  }

  /** Query string and form body together; the first value of a repeated key wins. */
  private static Map<String, String> parameters(HttpServletRequest request) {
    Map<String, String> params = new LinkedHashMap<>();
    request.getParameterMap().forEach((key, values) -> params.put(key, values[0]));
    return params;
  }

  /**
   * The request's parameters as the device sent them: the query string, or for a form body (which
   * the container has consumed) its parameters written back in the same form.
   */
  private static String query(HttpServletRequest request, Map<String, String> params) {
    if (request.getQueryString() != null) {
      return request.getQueryString();
    }
    StringJoiner form = new StringJoiner("&");
    params.forEach(
        (key, value) ->
            form.add(
                URLEncoder.encode(key, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return form.toString();
  }

  private ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create("https://fleetline.io/problems/" + type));
    problem.setTitle(title);
    ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
    if (status == HttpStatus.SERVICE_UNAVAILABLE) {
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(ingest.retryAfter().toSeconds()));
    }
    return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
  }
}
