package io.fleetline.ingest.http;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.gateway.GatewayRelay;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.intake.IntakeResult;
import io.fleetline.ingest.intake.PingIntake;
import io.fleetline.ingest.json.PingJson;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.transport.BodyException;
import io.fleetline.ingest.transport.BoundedBody;
import io.fleetline.ingest.transport.TransportProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP JSON device protocol: {@code POST /api/v1/pings} with the device's bearer token and one
 * ping or an array of them, optionally gzip-compressed. Answers {@code 202} once the accepted pings
 * are durable in Kafka, with a result per rejected item. A gateway's token uploads the pings of the
 * devices it relays, each item naming its device in {@code "device"}.
 */
@RestController
class PingController {

  private static final String PROTOCOL = DeviceProtocol.HTTP.wireName();

  private final DeviceRegistry registry;
  private final PingIntake intake;
  private final IngestProperties properties;
  private final TransportProperties transport;
  private final GatewayRelay relay;

  PingController(
      DeviceRegistry registry,
      PingIntake intake,
      IngestProperties properties,
      TransportProperties transport,
      GatewayRelay relay) {
    this.registry = registry;
    this.intake = intake;
    this.properties = properties;
    this.transport = transport;
    this.relay = relay;
  }

  @PostMapping(path = "/api/v1/pings", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> receive(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      HttpServletRequest request)
      throws IOException {
    DeviceRegistration device = authenticate(authorization);
    List<DecodedPing> items = decode(readBody(request));
    IntakeResult result =
        GatewayRelay.isGateway(device)
            ? intake.acceptAttributed(PROTOCOL, relay.attribute(device, items))
            : intake.accept(device, PROTOCOL, items);
    if (result.accepted() == 0) {
      throw new IngestProblem(
          HttpStatus.BAD_REQUEST,
          "no-valid-pings",
          "No valid pings",
          "None of the " + items.size() + " pings could be accepted; see 'rejected'.",
          Map.of("rejected", result.rejected()));
    }
    return ResponseEntity.accepted()
        .body(Map.of("accepted", result.accepted(), "rejected", result.rejected()));
  }

  private DeviceRegistration authenticate(String authorization) {
    if (!registry.isLoaded()) {
      throw IngestProblem.unavailable("The device registry is still loading.");
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw IngestProblem.unauthorized("Send the device token as 'Authorization: Bearer <token>'.");
    }
    DeviceRegistration device =
        registry
            .findByToken(authorization.substring(7).trim())
            .orElseThrow(() -> IngestProblem.unauthorized("Unknown device token."));
    if (!device.enabled()) {
      throw new IngestProblem(
          HttpStatus.FORBIDDEN,
          "device-disabled",
          "Device disabled",
          "This device is disabled.",
          Map.of());
    }
    return device;
  }

  /** Read only after authentication, so an unknown token costs no body. */
  private byte[] readBody(HttpServletRequest request) throws IOException {
    try {
      return BoundedBody.read(request, properties.maxBodyBytes(), transport.maxBodyReadTime());
    } catch (BodyException e) {
      throw IngestProblem.body(e);
    }
  }

  private List<DecodedPing> decode(byte[] body) {
    try {
      return PingJson.decode(body, properties.maxBatchSize());
    } catch (PingJson.MalformedBodyException e) {
      throw e.tooLarge()
          ? IngestProblem.tooLarge(e.getMessage())
          : IngestProblem.malformed("", e.getMessage());
    }
  }
}
