package io.fleetline.ingest.coap;

import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.gateway.GatewayRelay;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.intake.IntakeResult;
import io.fleetline.ingest.intake.PingIntake;
import io.fleetline.ingest.json.PingJson;
import io.fleetline.ingest.publish.IngestAtCapacityException;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /pings}: one ping or an array of them in the JSON of the HTTP protocol, from a device
 * known by its token ({@code ?token=}) or by its DTLS identity; a gateway's token uploads for the
 * devices it relays, as over HTTP. The answer is sent when Kafka has the pings (2.04), or refused
 * them (5.03); until then a retransmission of the request is recognised as one and ignored, and no
 * thread waits for Kafka.
 */
final class PingsResource extends CoapResource {

  static final String PROTOCOL = "coap";

  private static final Logger log = LoggerFactory.getLogger(PingsResource.class);

  private final DeviceRegistry registry;
  private final DevicePskStore keys;
  private final GatewayRelay relay;
  private final PingIntake intake;
  private final IngestProperties ingest;
  private final CoapProperties properties;
  private final AtomicInteger exchanges = new AtomicInteger();
  private final Counter refusedAtCapacity;

  PingsResource(
      DeviceRegistry registry,
      DevicePskStore keys,
      GatewayRelay relay,
      PingIntake intake,
      IngestProperties ingest,
      CoapProperties properties,
      MeterRegistry meters) {
    super("pings");
    this.registry = registry;
    this.keys = keys;
    this.relay = relay;
    this.intake = intake;
    this.ingest = ingest;
    this.properties = properties;
    this.refusedAtCapacity = refused(meters, "exchanges");
  }

  static Counter refused(MeterRegistry meters, String reason) {
    return Counter.builder("fleetline.ingest.coap.refused")
        .description("CoAP requests refused at once by a limit of the port")
        .tag("reason", reason)
        .register(meters);
  }

  @Override
  public void handlePOST(CoapExchange exchange) {
    // The request's source and the port had budget for it: RequestAdmission saw it first.
    int limit = answerLimit(exchange.advanced().getRequest());
    Response refusal = refusal(exchange, limit);
    if (refusal != null) {
      exchange.respond(refusal);
      return;
    }
    DeviceRegistration device = identify(exchange, limit);
    if (device == null) {
      return;
    }
    List<DecodedPing> items;
    try {
      items = PingJson.decode(exchange.getRequestPayload(), ingest.maxBatchSize());
    } catch (PingJson.MalformedBodyException e) {
      exchange.respond(
          e.tooLarge()
              ? CoapReplies.tooLarge(e.getMessage(), maxBodyBytes(), limit)
              : CoapReplies.text(ResponseCode.BAD_REQUEST, "malformed: " + e.getMessage(), limit));
      return;
    }
    publish(exchange, device, items, limit);
  }

  /** What refuses a request before its sender is looked at: its form, its size, ingest's state. */
  private Response refusal(CoapExchange exchange, int limit) {
    int format = exchange.getRequestOptions().getContentFormat();
    if (format != MediaTypeRegistry.UNDEFINED && format != MediaTypeRegistry.APPLICATION_JSON) {
      return CoapReplies.text(
          ResponseCode.UNSUPPORTED_CONTENT_FORMAT, "send application/json (50)", limit);
    }
    if (exchange.getRequestPayloadSize() > maxBodyBytes()) {
      return CoapReplies.tooLarge(
          "at most " + maxBodyBytes() + " bytes per upload", maxBodyBytes(), limit);
    }
    if (exchange.getRequestPayloadSize() == 0) {
      return CoapReplies.text(ResponseCode.BAD_REQUEST, "malformed: the body is empty", limit);
    }
    if (!registry.isLoaded()) {
      return CoapReplies.retryLater(
          "the device registry is still loading", retryAfterSeconds(), limit);
    }
    return null;
  }

  /** The sending device, or null once the request has been answered with why it has none. */
  private DeviceRegistration identify(CoapExchange exchange, int limit) {
    Principal peer = exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
    DeviceRegistration device;
    if (peer instanceof PreSharedKeyIdentity psk) {
      device = keys.device(psk.getIdentity()).orElse(null);
      if (device == null) {
        exchange.respond(CoapReplies.text(ResponseCode.NOT_FOUND, "unknown device", limit));
        return null;
      }
    } else {
      String token = exchange.getQueryParameter("token");
      if (token == null || token.isEmpty()) {
        exchange.respond(
            CoapReplies.text(
                ResponseCode.UNAUTHORIZED, "send the device token as ?token=<token>", limit));
        return null;
      }
      device = registry.findByToken(token).orElse(null);
      if (device == null) {
        exchange.respond(
            CoapReplies.text(ResponseCode.UNAUTHORIZED, "unknown device token", limit));
        return null;
      }
    }
    if (!device.enabled()) {
      exchange.respond(CoapReplies.text(ResponseCode.FORBIDDEN, "device disabled", limit));
      return null;
    }
    return device;
  }

  private void publish(
      CoapExchange exchange, DeviceRegistration device, List<DecodedPing> items, int limit) {
    if (exchanges.incrementAndGet() > properties.maxExchanges()) {
      exchanges.decrementAndGet();
      refusedAtCapacity.increment();
      exchange.respond(CoapReplies.retryLater("ingest is at capacity", retryAfterSeconds(), limit));
      return;
    }
    CompletableFuture<IntakeResult> durable;
    try {
      durable =
          GatewayRelay.isGateway(device)
              ? intake.acceptAttributedAsync(PROTOCOL, relay.attribute(device, items))
              : intake.acceptAsync(device, PROTOCOL, items);
    } catch (RuntimeException e) {
      durable = CompletableFuture.failedFuture(e);
    }
    // Answered on whichever thread completes the upload (usually Kafka's); Californium hands the
    // response to the exchange's own executor.
    durable.whenComplete(
        (result, failure) -> {
          exchanges.decrementAndGet();
          exchange.respond(
              failure == null ? CoapReplies.result(result, limit) : failed(failure, limit));
        });
  }

  private Response failed(Throwable failure, int limit) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof IngestAtCapacityException) {
      return CoapReplies.retryLater("ingest is at capacity", retryAfterSeconds(), limit);
    }
    if (cause instanceof PingsNotDurableException) {
      log.warn("Answering CoAP 5.03: {}", cause.getMessage());
      return CoapReplies.retryLater(
          "the pings could not be made durable now; nothing was stored",
          retryAfterSeconds(),
          limit);
    }
    log.error("CoAP upload failed", cause);
    return CoapReplies.text(ResponseCode.INTERNAL_SERVER_ERROR, "internal error", limit);
  }

  /**
   * The most payload an answer may carry: as much as the request brought, so that answers never
   * amplify. A request of a few bytes still gets its code.
   */
  private static int answerLimit(Request request) {
    byte[] raw = request.getBytes();
    return Math.max(request.getPayloadSize(), raw == null ? 0 : raw.length);
  }

  private int maxBodyBytes() {
    return (int) properties.maxBodySize().toBytes();
  }

  private long retryAfterSeconds() {
    return Math.max(1, ingest.retryAfter().toSeconds());
  }

  int exchangesInFlight() {
    return exchanges.get();
  }
}
