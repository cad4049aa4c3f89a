package io.fleetline.ingest.coap;

import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.intake.IntakeResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;

/**
 * The answers of the CoAP port. Each is held to the size of the request it answers, so that a
 * request with a forged source address cannot make ingest send a third party more than was sent to
 * it: a result that does not fit loses its details, then its list of items, and a text is cut.
 */
final class CoapReplies {

  private CoapReplies() {}

  /** A code with a diagnostic text, e.g. 4.00 with the reason a body is malformed. */
  static Response text(ResponseCode code, String text, int limit) {
    Response response = new Response(code);
    byte[] bytes = cut(text.getBytes(StandardCharsets.UTF_8), limit);
    if (bytes.length > 0) {
      response.setPayload(bytes);
      response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
    }
    return response;
  }

  /** 5.03 with Max-Age telling the device when to try again. */
  static Response retryLater(String text, long maxAgeSeconds, int limit) {
    Response response = text(ResponseCode.SERVICE_UNAVAILABLE, text, limit);
    response.getOptions().setMaxAge(maxAgeSeconds);
    return response;
  }

  /** 4.13 with Size1, the largest body the port takes. */
  static Response tooLarge(String text, int maxBodyBytes, int limit) {
    Response response = text(ResponseCode.REQUEST_ENTITY_TOO_LARGE, text, limit);
    response.getOptions().setSize1(maxBodyBytes);
    return response;
  }

  /**
   * An upload's result as JSON, {@code {"accepted":n,"rejected":[{"index","reason","detail"}]}}:
   * 2.04 when any ping was accepted, 4.00 when none was.
   */
  static Response result(IntakeResult result, int limit) {
    Response response =
        new Response(result.accepted() > 0 ? ResponseCode.CHANGED : ResponseCode.BAD_REQUEST);
    byte[] body = fitted(result, limit);
    if (body.length > 0) {
      response.setPayload(body);
      response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
    }
    return response;
  }

  private static byte[] fitted(IntakeResult result, int limit) {
    byte[] full =
        FleetlineJson.write(Map.of("accepted", result.accepted(), "rejected", result.rejected()));
    if (full.length <= limit) {
      return full;
    }
    List<Map<String, Object>> reasons =
        result.rejected().stream()
            .map(r -> Map.<String, Object>of("index", r.index(), "reason", r.reason()))
            .toList();
    byte[] withoutDetails =
        FleetlineJson.write(Map.of("accepted", result.accepted(), "rejected", reasons));
    if (withoutDetails.length <= limit) {
      return withoutDetails;
    }
    byte[] counts =
        FleetlineJson.write(
            Map.of("accepted", result.accepted(), "rejected", result.rejected().size()));
    return counts.length <= limit ? counts : new byte[0];
  }

  /** The first {@code limit} bytes of UTF-8 text, never ending inside a character. */
  static byte[] cut(byte[] utf8, int limit) {
    if (utf8.length <= limit) {
      return utf8;
    }
    int end = Math.max(0, limit);
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--;
    }
    return Arrays.copyOf(utf8, end);
  }
}
