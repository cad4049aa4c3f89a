package io.fleetline.ingest.osmand;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.intake.PingIntake;
import io.fleetline.ingest.json.JsonProblems;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.validation.DeviceText;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * The OsmAnd protocol's meaning, apart from its transport: a request's parameters or JSON body in,
 * the answer out. Answers {@code 200} once the positions are durable — also when they failed
 * validation, because they are then durable in the rejected topic, and a client told anything else
 * would resend the same position forever.
 */
@Component
class OsmandEndpoint {

  private static final Logger log = LoggerFactory.getLogger(OsmandEndpoint.class);
  private static final String PROTOCOL = DeviceProtocol.OSMAND.wireName();
  private static final String JSON = "application/json";

  private final DeviceRegistry registry;
  private final PingIntake intake;
  private final IngestProperties ingest;

  OsmandEndpoint(DeviceRegistry registry, PingIntake intake, IngestProperties ingest) {
    this.registry = registry;
    this.intake = intake;
    this.ingest = ingest;
  }

  /**
   * Answers one request; the future completes when its positions are durable or could not be made
   * so. Runs on the connection's event loop up to the hand-over to Kafka, so it never blocks.
   *
   * @param query the raw query string, or null
   * @param contentType the request's {@code Content-Type}, or null
   * @param body the request body, already bounded and decompressed (empty when none)
   */
  CompletableFuture<OsmandAnswer> receive(
      String query, String contentType, Charset charset, byte[] body) {
    if (!registry.isLoaded()) {
      return done(unavailable("The device registry is still loading."));
    }
    Instant receivedAt = Instant.now();
    List<OsmandPing> pings;
    Supplier<byte[]> original;
    try {
      if (isJson(contentType)) {
        pings = parseJson(body, receivedAt);
        original = () -> body;
      } else {
        OsmandParameters parameters = OsmandParameters.of(query, contentType, charset, body);
        pings = List.of(OsmandQueryParser.parse(parameters.values(), receivedAt));
        original = parameters::original;
      }
    } catch (OsmandFormatException e) {
      return done(malformed(e));
    } catch (TooManyPositionsException e) {
      return done(OsmandAnswer.problem(413, "too-large", "Request too large", e.getMessage()));
    }
    String deviceId = pings.get(0).deviceId();
    Optional<DeviceRegistration> device =
        registry.find(new DeviceKey(DeviceProtocol.OSMAND, deviceId));
    if (device.isEmpty()) {
      return done(
          OsmandAnswer.problem(
              404,
              "unknown-device",
              "Unknown device",
              "No osmand device " + DeviceText.quoted(deviceId) + "."));
    }
    if (!device.get().enabled()) {
      return done(OsmandAnswer.problem(403, "device-disabled", "Device disabled", null));
    }
    List<DecodedPing> items = new ArrayList<>(pings.size());
    for (int i = 0; i < pings.size(); i++) {
      OsmandPing ping = pings.get(i);
      items.add(
          DecodedPing.of(
              i, ping.original() != null ? ping.original() : original, ping.candidate()));
    }
    return intake
        .acceptAsync(device.get(), PROTOCOL, items)
        .handle(
            (result, failure) -> {
              if (failure == null) {
                return OsmandAnswer.stored(result);
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof PingsNotDurableException) {
                // Not per request at WARN: this runs on an event loop, for every device while
                // Kafka is away; Kafka's health and the producer's own logs tell of the outage.
                log.debug("Answering 503: {}", cause.getMessage());
                return unavailable(
                    "The positions could not be made durable now; nothing was stored. Retry later.");
              }
              log.error("OsmAnd request failed", cause);
              return OsmandAnswer.problem(500, "internal", "Internal error", null).closing();
            });
  }

  private List<OsmandPing> parseJson(byte[] body, Instant receivedAt) {
    try {
      return OsmandJsonParser.parse(
          FleetlineJson.mapper().readTree(body), receivedAt, ingest.maxBatchSize());
    } catch (JacksonException e) {
      throw new OsmandFormatException("", JsonProblems.describe(e));
    }
  }

  private static OsmandAnswer malformed(OsmandFormatException e) {
    return OsmandAnswer.problem(
        400, "malformed", "Malformed OsmAnd request", e.getMessage(), Map.of("field", e.field()));
  }

  private OsmandAnswer unavailable(String detail) {
    return OsmandAnswer.problem(503, "unavailable", "Temporarily unavailable", detail)
        .retryAfter(Math.max(1, ingest.retryAfter().toSeconds()));
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(JSON);
  }

  private static CompletableFuture<OsmandAnswer> done(OsmandAnswer answer) {
    return CompletableFuture.completedFuture(answer);
  }
}
