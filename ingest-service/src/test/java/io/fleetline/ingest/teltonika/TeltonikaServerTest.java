package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.intake.IntakeResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener's lifecycle and connection handling over real sockets, without Spring or Kafka. */
class TeltonikaServerTest {

  static final String IMEI = "356307042441013";
  static final DeviceRegistration DEVICE =
      new DeviceRegistration(
          1,
          UUID.randomUUID(),
          UUID.randomUUID(),
          UUID.randomUUID(),
          DeviceProtocol.TELTONIKA,
          IMEI,
          null,
          true);

  final Map<String, DeviceRegistration> devices = new ConcurrentHashMap<>(Map.of(IMEI, DEVICE));
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Kafka's acknowledgement of every packet, withheld until a test gives it. */
  final CompletableFuture<Void> kafkaAnswers = new CompletableFuture<>();

  final CountDownLatch intakeStarted = new CountDownLatch(1);
  TeltonikaServer server;

  TeltonikaServer start(int maxConnections) {
    return start(maxConnections, Duration.ofSeconds(30));
  }

  TeltonikaServer start(int maxConnections, Duration handshakeTimeout) {
    return start(maxConnections, handshakeTimeout, 64);
  }

  TeltonikaServer start(int maxConnections, Duration handshakeTimeout, int handshakesPerSource) {
    PacketIntake intake =
        (device, items) -> {
          intakeStarted.countDown();
          return kafkaAnswers.thenApply(acknowledged -> new IntakeResult(items.size(), List.of()));
        };
    server =
        new TeltonikaServer(
            new TeltonikaProperties(
                true,
                0,
                "127.0.0.1",
                Duration.ofMinutes(10),
                handshakeTimeout,
                maxConnections,
                handshakesPerSource,
                1,
                65_536,
                1),
            imei -> ImeiCheck.Result.accepted(deviceWithImei(imei)),
            intake,
            Duration.ofSeconds(10),
            new TeltonikaMetrics(meters));
    server.start();
    return server;
  }

  DeviceRegistration deviceWithImei(String imei) {
    return devices.computeIfAbsent(
        imei,
        key ->
            new DeviceRegistration(
                1,
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                DeviceProtocol.TELTONIKA,
                key,
                null,
                true));
  }

  @AfterEach
  void stop() {
    kafkaAnswers.complete(null);
    if (server != null) {
      server.stop();
    }
  }

  static Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** A connection from another loopback address (Linux routes all of 127/8 to lo). */
  static Socket connectFrom(String localAddress, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  static int handshake(Socket socket, String imei) throws IOException {
    socket.getOutputStream().write(AvlFrames.imei(imei));
    return socket.getInputStream().read();
  }

  @Test
  void aReconnectingTrackerReplacesItsOlderConnection() throws Exception {
    start(10);
    try (Socket stale = connect(server.port());
        Socket fresh = connect(server.port())) {
      assertThat(handshake(stale, IMEI)).isEqualTo(0x01);

      assertThat(handshake(fresh, IMEI)).isEqualTo(0x01);

      assertThat(stale.getInputStream().read()).as("the older one is closed").isEqualTo(-1);
      assertThat(meters.counter("fleetline.ingest.teltonika.connections.replaced").count())
          .isEqualTo(1);
      fresh
          .getOutputStream()
          .write(AvlFrames.codec8(AvlFrames.Record.at(Instant.now(), 52.5, 13.4)));
      kafkaAnswers.complete(null);
      assertThat(new DataInputStream(fresh.getInputStream()).readInt()).isEqualTo(1);
    }
  }

  @Test
  void aKnownImeiReconnectingOverAndOverCannotHoldAllConnectionSlots() throws Exception {
    start(3);
    List<Socket> reconnects = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        Socket socket = connect(server.port());
        reconnects.add(socket);
        assertThat(handshake(socket, IMEI)).as("reconnect %d", i).isEqualTo(0x01);
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(
                () ->
                    assertThat(meters.get("fleetline.ingest.teltonika.connections").gauge().value())
                        .isEqualTo(1));
      }
      try (Socket other = connect(server.port())) {
        assertThat(handshake(other, "356307042441099"))
            .as("another tracker still finds a slot")
            .isEqualTo(0x01);
      }
    } finally {
      for (Socket socket : reconnects) {
        socket.close();
      }
    }
  }

  @Test
  void oneAddressCannotHoldMoreConnectionsAwaitingTheirHandshakeThanItsShare() throws Exception {
    start(100, Duration.ofSeconds(30), 2);
    try (Socket silent1 = connectFrom("127.0.0.2", server.port());
        Socket silent2 = connectFrom("127.0.0.2", server.port());
        Socket third = connectFrom("127.0.0.2", server.port());
        Socket tracker = connect(server.port())) {

      assertThat(third.getInputStream().read()).as("refused at once").isEqualTo(-1);
      assertThat(handshake(tracker, IMEI)).as("another address is served").isEqualTo(0x01);
      assertThat(handshake(silent1, "356307042441099")).isEqualTo(0x01);
      try (Socket next = connectFrom("127.0.0.2", server.port())) {
        assertThat(handshake(next, "356307042441098"))
            .as("an identified connection gives its handshake slot back")
            .isEqualTo(0x01);
      }
      assertThat(
              meters
                  .counter(
                      "fleetline.ingest.teltonika.connections.refused",
                      "reason",
                      "handshakes_per_source")
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
    start(1);
    try (Socket first = connect(server.port());
        Socket second = connect(server.port())) {
      first.getOutputStream().write(AvlFrames.imei(IMEI));

      assertThat(first.getInputStream().read()).isEqualTo(0x01);
      assertThat(second.getInputStream().read()).isEqualTo(-1);
      assertThat(
              meters
                  .counter(
                      "fleetline.ingest.teltonika.connections.refused", "reason", "max_connections")
                  .count())
          .isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(meters.get("fleetline.ingest.teltonika.connections").gauge().value())
                      .isEqualTo(1));
    }
  }

  @Test
  void stoppingLetsThePacketInFlightBeAcknowledgedThenClosesAndReleasesThePort() throws Exception {
    start(10);
    int port = server.port();
    try (Socket tracker = connect(port)) {
      tracker.getOutputStream().write(AvlFrames.imei(IMEI));
      DataInputStream in = new DataInputStream(tracker.getInputStream());
      assertThat(in.read()).isEqualTo(0x01);
      tracker
          .getOutputStream()
          .write(AvlFrames.codec8(AvlFrames.Record.at(Instant.now(), 52.5, 13.4)));
      assertThat(intakeStarted.await(10, TimeUnit.SECONDS)).isTrue();

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
      await().atMost(Duration.ofSeconds(5)).until(() -> !server.isRunning());
      kafkaAnswers.complete(null);
      stopping.get(20, TimeUnit.SECONDS);

      assertThat(in.readInt()).as("acknowledged during shutdown").isEqualTo(1);
      assertThat(in.read()).as("then closed").isEqualTo(-1);
    }
    try (Socket refused = new Socket()) {
      assertThat(catchConnect(refused, port)).isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void aConnectionThatNeverSendsItsImeiIsClosedAfterTheHandshakeTimeout() throws Exception {
    start(10, Duration.ofMillis(300));
    try (Socket silent = connect(server.port());
        Socket tracker = connect(server.port())) {
      tracker.getOutputStream().write(AvlFrames.imei(IMEI));
      assertThat(tracker.getInputStream().read()).isEqualTo(0x01);

      assertThat(silent.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      assertThat(
              meters.counter("fleetline.ingest.teltonika.handshakes", "result", "timeout").count())
          .isEqualTo(1);
      tracker
          .getOutputStream()
          .write(AvlFrames.codec8(AvlFrames.Record.at(Instant.now(), 52.5, 13.4)));
      kafkaAnswers.complete(null);
      assertThat(new DataInputStream(tracker.getInputStream()).readInt())
          .as("an identified device keeps its connection")
          .isEqualTo(1);
    }
  }

  @Test
  void aStoppedListenerCanBeStartedAgain() throws Exception {
    start(10);
    server.stop();

    server.start();

    try (Socket tracker = connect(server.port())) {
      tracker.getOutputStream().write(AvlFrames.imei(IMEI));
      assertThat(tracker.getInputStream().read()).isEqualTo(0x01);
    }
  }

  private static Exception catchConnect(Socket socket, int port) {
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      return null;
    } catch (IOException e) {
      return e;
    }
  }
}
