package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fleetline.ingest.testing.MosquittoBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole devices-mode runs in-process against the stub platform (fleet-api, ingest's HTTP JSON and
 * OsmAnd endpoints, a Teltonika listener) and a real Mosquitto.
 */
class DevicesModeTest {

  static MosquittoBroker mosquitto;
  static StubPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    mosquitto = MosquittoBroker.start();
    platform = new StubPlatform(mosquitto);
  }

  @AfterAll
  static void stop() throws Exception {
    platform.close();
    mosquitto.close();
  }

  @Test
  void theClosedLoopKeepsOneRequestInFlightPerConnectionAndCoversEveryDevice(@TempDir Path dir)
      throws Exception {
    OsmandCounter osmand = new OsmandCounter();
    try {
      Map<String, String> settings = new HashMap<>(platform.settings(mosquitto.url()));
      settings.put("FLEETLINE_OSMAND_URL", osmand.url());
      Path windowFile = dir.resolve("window");

      Simulation.Result result =
          Simulation.run(
              List.of(
                  "devices",
                  "--vehicles",
                  "40",
                  "--protocols",
                  "osmand",
                  "--connections",
                  "4",
                  "--warmup",
                  "0",
                  "--duration",
                  "1",
                  "--window-file",
                  windowFile.toString()),
              settings);

      Map<String, Object> summary = result.summary();
      assertThat(summary)
          .containsEntry("mode", "devices")
          .containsEntry("loop", "closed")
          .containsEntry("connections", 4)
          .containsEntry("devicesAcknowledged", 40)
          .containsEntry("failed", Map.of());
      assertThat((long) summary.get("acknowledged")).isPositive();
      // One request in flight per connection, over four connections, each device's turn in order.
      assertThat(osmand.mostInFlightOnOneConnection.get()).isOne();
      assertThat(osmand.connections).hasSize(4);
      assertThat(osmand.devices).hasSize(40);
      // Event time is now, not a day back as in the load mode.
      assertThat(osmand.lastTimestamp.get())
          .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());

      List<String> window = Files.readAllLines(windowFile);
      assertThat(window)
          .containsExactly(
              "start " + summary.get("windowStart"), "end " + summary.get("windowEnd"));
      assertThat((long) summary.get("windowEnd")).isGreaterThan((long) summary.get("windowStart"));
    } finally {
      osmand.close();
    }
  }

  @Test
  void everyDeviceOnItsOwnConnectionPingsOverItsProtocolAndIsAcknowledged() throws Exception {
    int teltonikaBefore = platform.teltonika.recordsPerPacket.size();
    int handshakesBefore = platform.teltonika.handshakes.size();

    Simulation.Result result =
        Simulation.run(
            List.of(
                "devices",
                "--vehicles",
                "8",
                "--protocols",
                "osmand=1,http=1,mqtt=1,teltonika=1",
                "--interval",
                "0.2",
                "--warmup",
                "0",
                "--duration",
                "1",
                "--seed",
                "3"),
            platform.settings(mosquitto.url()));

    Map<String, Object> summary = result.summary();
    assertThat(summary)
        .containsEntry("loop", "interval")
        .containsEntry("connections", 8)
        .containsEntry("devicesConnected", 8)
        .containsEntry("devicesAcknowledged", 8)
        .containsEntry("failed", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Long> byProtocol = (Map<String, Long>) summary.get("acknowledgedByProtocol");
    assertThat(byProtocol).containsOnlyKeys("http", "mqtt", "osmand", "teltonika");
    assertThat(byProtocol.values()).allMatch(n -> n > 0);
    // Both Teltonika devices logged in (the registry probe logs in once more) and sent one record
    // per packet.
    assertThat(
            Set.copyOf(
                platform.teltonika.handshakes.subList(
                    handshakesBefore, platform.teltonika.handshakes.size())))
        .hasSize(2);
    assertThat(
            platform.teltonika.recordsPerPacket.subList(
                teltonikaBefore, platform.teltonika.recordsPerPacket.size()))
        .isNotEmpty()
        .allMatch(n -> n == 1);
    assertThat((double) summary.get("generatorCpuSeconds")).isPositive();
  }

  @Test
  void theClosedLoopRefusesDevicesThatKeepTheirOwnConnection() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Simulation.run(
                    List.of("devices", "--protocols", "osmand=1,mqtt=1", "--connections", "16"),
                    platform.settings(mosquitto.url())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--connections (the closed loop) takes one protocol, osmand or http");
  }

  /**
   * An OsmAnd endpoint answering 200 to everything, which notes the connections (by the client's
   * port), the devices and how many requests one connection had in flight at once.
   */
  static final class OsmandCounter implements AutoCloseable {
    final HttpServer server;
    final Set<Integer> connections = ConcurrentHashMap.newKeySet();
    final Set<String> devices = ConcurrentHashMap.newKeySet();
    final Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final AtomicInteger mostInFlightOnOneConnection = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicReference<Instant> lastTimestamp =
        new java.util.concurrent.atomic.AtomicReference<>(Instant.EPOCH);

    OsmandCounter() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newFixedThreadPool(8));
      server.createContext("/", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange e) throws IOException {
      int port = e.getRemoteAddress().getPort();
      connections.add(port);
      AtomicInteger mine = inFlight.computeIfAbsent(port, p -> new AtomicInteger());
      mostInFlightOnOneConnection.accumulateAndGet(mine.incrementAndGet(), Math::max);
      try {
        for (String pair : e.getRequestURI().getRawQuery().split("&")) {
          String[] kv = pair.split("=", 2);
          String value = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
          switch (kv[0]) {
            case "id" -> devices.add(value);
            case "timestamp" -> lastTimestamp.set(Instant.ofEpochMilli(Long.parseLong(value)));
            default -> {}
          }
        }
        byte[] body = "{\"accepted\":1,\"rejected\":[]}".getBytes(StandardCharsets.UTF_8);
        e.sendResponseHeaders(200, body.length);
        e.getResponseBody().write(body);
      } finally {
        mine.decrementAndGet();
        e.close();
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
