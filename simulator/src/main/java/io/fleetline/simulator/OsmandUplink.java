package io.fleetline.simulator;

import io.fleetline.common.FleetlineJson;
import io.fleetline.simulator.truth.Answers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * OsmAnd, as the Traccar Client apps speak it: one position per {@code GET /?id=…&lat=…} on the
 * OsmAnd port, speed in knots, timestamp in epoch milliseconds, ignition and odometer (metres) as
 * the protocol's optional keys and the battery level as an extra key that becomes an attribute.
 *
 * <p>A device uploads its buffer as the apps do: oldest position first, each request only once the
 * previous one was answered, so ingest receives a device's positions in the order they were
 * recorded. Devices upload side by side (the modes' concurrency), never one device's positions.
 */
final class OsmandUplink implements Uplink {

  static final double KMH_PER_KNOT = 1.852;

  private final HttpClient http;
  private final String baseUrl;
  private final Retry retry;

  OsmandUplink(HttpClient http, String osmandUrl, Retry retry) {
    this.http = http;
    this.baseUrl = osmandUrl.endsWith("/") ? osmandUrl : osmandUrl + "/";
    this.retry = retry;
  }

  @Override
  public int maxBatch() {
    return 1;
  }

  /** The query string of one position, broken as {@code invalid} says. */
  static String query(String deviceId, Reading r, InvalidKind invalid) {
    StringBuilder q = new StringBuilder(200);
    q.append("id=").append(URLEncoder.encode(deviceId, StandardCharsets.UTF_8));
    q.append("&lat=")
        .append(invalid == InvalidKind.MALFORMED ? "north" : JsonPingFormat.fixed(r.latitude(), 7));
    q.append("&lon=").append(JsonPingFormat.fixed(r.longitude(), 7));
    q.append("&timestamp=").append(r.recordedAt().toEpochMilli());
    q.append("&speed=").append(JsonPingFormat.fixed(r.speedKmh() / KMH_PER_KNOT, 4));
    q.append("&bearing=").append(JsonPingFormat.fixed(r.headingDeg(), 1));
    q.append("&altitude=").append(JsonPingFormat.fixed(r.altitudeM(), 1));
    q.append("&accuracy=").append(JsonPingFormat.fixed(r.accuracyM(), 1));
    q.append("&odometer=").append(JsonPingFormat.fixed(r.odometerKm() * 1000, 1));
    q.append("&ignition=").append(r.ignition());
    q.append("&batt=").append(80 + Math.floorMod(r.recordedAt().getEpochSecond() / 600, 20));
    if (invalid == InvalidKind.ATTRIBUTES_TOO_LARGE) {
      for (int i = 0; i < InvalidKind.TOO_MANY_ATTRIBUTES; i++) {
        q.append("&x").append(i).append('=').append(i);
      }
    }
    return q.toString();
  }

  @Override
  public Reading carried(Reading r) {
    double knots = JsonPingFormat.round(r.speedKmh() / KMH_PER_KNOT, 4);
    return new Reading(
        java.time.Instant.ofEpochMilli(r.recordedAt().toEpochMilli()),
        JsonPingFormat.round(r.latitude(), 7),
        JsonPingFormat.round(r.longitude(), 7),
        knots * KMH_PER_KNOT,
        JsonPingFormat.round(r.headingDeg(), 1),
        JsonPingFormat.round(r.altitudeM(), 1),
        JsonPingFormat.round(r.accuracyM(), 1),
        JsonPingFormat.round(r.odometerKm() * 1000, 1) / 1000,
        r.ignition(),
        r.gpsJump());
  }

  @Override
  public List<Outcome> send(Device device, List<Outgoing> items) throws InterruptedException {
    // Never two positions of one device in flight: requests on different connections reach ingest,
    // and so Kafka, in whichever order they happen to be served, and analytics can order only
    // positions that arrive within its reorder window.
    List<Outcome> outcomes = new ArrayList<>(items.size());
    for (Outgoing item : items) {
      outcomes.add(sendOne(device, item));
    }
    return outcomes;
  }

  private Outcome sendOne(Device device, Outgoing item) throws InterruptedException {
    boolean unknown = item.invalid() == InvalidKind.UNKNOWN_DEVICE;
    String id =
        unknown
            ? InvalidKind.unknownIdentifier(Protocol.OSMAND, device.identifier())
            : device.identifier();
    URI uri =
        URI.create(baseUrl + "?" + query(id, item.reading(), unknown ? null : item.invalid()));
    HttpResponse<String> response =
        retry.run(
            () -> {
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                      HttpResponse.BodyHandlers.ofString());
              // 404 for our own device: ingest has not seen its registration yet
              if (r.statusCode() >= 500 || r.statusCode() == 404 && !unknown) {
                throw new Retry.TransientException("OsmAnd " + r.statusCode() + ": " + r.body());
              }
              return r;
            });
    if (response == null) {
      return Outcome.failed();
    }
    return switch (response.statusCode()) {
      case 200 -> itemOutcome(response.body());
      case 400 -> new Outcome(true, Answers.BAD_REQUEST, null);
      case 404 -> new Outcome(true, Answers.NOT_FOUND, null);
      default -> new Outcome(false, "http_" + response.statusCode(), null);
    };
  }

  private static Outcome itemOutcome(String body) {
    try {
      JsonNode rejected = FleetlineJson.mapper().readTree(body).path("rejected");
      if (rejected.isArray() && !rejected.isEmpty()) {
        return new Outcome(true, Answers.ITEM_REJECTED, rejected.get(0).path("reason").asString());
      }
    } catch (RuntimeException e) {
      // an answer without per-item results still means stored
    }
    return Outcome.accepted();
  }
}
