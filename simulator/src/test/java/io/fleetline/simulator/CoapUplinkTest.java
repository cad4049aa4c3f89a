package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.FleetlineJson;
import io.fleetline.simulator.truth.Answers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The CoAP uplink against a CoAP server on loopback that answers as ingest's CoAP port does. */
class CoapUplinkTest {

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger unauthorizedFirst = new AtomicInteger();
  private CoapServer server;
  private CoapEndpoint endpoint;

  @BeforeEach
  void start() {
    Configuration config =
        new Configuration(SystemConfig.DEFINITIONS, CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
    server = new CoapServer(config);
    server.add(
        new CoapResource("pings") {
          @Override
          public void handlePOST(CoapExchange exchange) {
            pings(exchange);
          }
        });
    endpoint =
        new CoapEndpoint.Builder()
            .setConfiguration(config)
            .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
            .build();
    server.addEndpoint(endpoint);
    server.start();
  }

  @AfterEach
  void stop() {
    server.destroy();
  }

  private void pings(CoapExchange exchange) {
    String token = exchange.getQueryParameter("token");
    String body = exchange.getRequestText();
    requests.add(token + " " + body);
    if (!"good".equals(token) || unauthorizedFirst.getAndDecrement() > 0) {
      exchange.respond(ResponseCode.UNAUTHORIZED, "unknown device token");
      return;
    }
    JsonNode items = FleetlineJson.mapper().readTree(body);
    List<String> rejected = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).get("latitude").doubleValue() > 90) {
        rejected.add("{\"index\":" + i + ",\"reason\":\"latitude_out_of_range\"}");
      }
    }
    exchange.respond(
        ResponseCode.CHANGED,
        "{\"accepted\":"
            + (items.size() - rejected.size())
            + ",\"rejected\":["
            + String.join(",", rejected)
            + "]}",
        MediaTypeRegistry.APPLICATION_JSON);
  }

  @Test
  void aCoapVehicleSendsItsBatchWithItsTokenAndReadsEachItemsResult() throws Exception {
    unauthorizedFirst.set(1); // the registration not seen yet: resent
    Device device = new Device("v1", Protocol.COAP, "sim-c-1", "good");
    List<Outcome> outcomes;
    try (CoapUplink uplink =
        new CoapUplink(
            "coap://127.0.0.1:" + endpoint.getAddress().getPort(),
            new Retry(Duration.ofSeconds(10)))) {
      outcomes =
          uplink.send(
              device,
              List.of(
                  Outgoing.valid(HttpUplinksTest.reading(0)),
                  new Outgoing(
                      InvalidKind.LATITUDE_OUT_OF_RANGE.breakReading(
                          HttpUplinksTest.reading(1), Instant.now()),
                      InvalidKind.LATITUDE_OUT_OF_RANGE),
                  new Outgoing(HttpUplinksTest.reading(2), InvalidKind.UNKNOWN_DEVICE)));
    }

    assertThat(outcomes)
        .containsExactly(
            Outcome.accepted(),
            new Outcome(true, Answers.ITEM_REJECTED, "latitude_out_of_range"),
            new Outcome(true, Answers.UNAUTHORIZED, null));
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0)).startsWith("unknown-sim-c-1 {\"recordedAt\"");
    assertThat(requests.get(2)).startsWith("good [{\"recordedAt\"");
  }

  @Test
  void aCoapVehicleIsRegisteredAsAnHttpDevice() {
    assertThat(Protocol.COAP.registeredAs()).isEqualTo("http");
    assertThat(Protocol.COAP.wireName()).isEqualTo("coap");
    assertThat(Protocol.fromWire("coap")).isEqualTo(Protocol.COAP);
  }
}
