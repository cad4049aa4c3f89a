package io.fleetline.ingest.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.testing.KafkaBrokerProcess;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.serialization.UdpDataParser;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The CoAP port against the real Kafka broker, with Californium's own client: plain UDP with the
 * token in the query, DTLS with the device's pre-shared key, and a broker that goes away.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.osmand.enabled=false",
      "fleetline.ingest.teltonika.enabled=false",
      "fleetline.ingest.coap.port=0",
      "fleetline.ingest.coap.dtls-enabled=true",
      "fleetline.ingest.coap.dtls-port=0",
      "fleetline.ingest.coap.bind-address=127.0.0.1",
      "fleetline.ingest.coap.max-body-size=4KB",
      "fleetline.ingest.coap.max-block-transfers=2",
      "fleetline.ingest.publish-timeout=3s",
      "spring.kafka.producer.properties.max.block.ms=2000",
      "spring.kafka.producer.properties.request.timeout.ms=2000",
      "spring.kafka.producer.properties.delivery.timeout.ms=2500"
    })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoapIngestIntegrationTest {

  static final KafkaBrokerProcess kafka = KafkaBrokerProcess.start();
  static final String TOKEN = DeviceTokens.newToken();
  static final String DISABLED_TOKEN = DeviceTokens.newToken();
  static final String DTLS_TOKEN = DeviceTokens.newToken();
  static final String LEAVING_TOKEN = DeviceTokens.newToken();
  static final String GATEWAY_TOKEN = DeviceTokens.newToken();
  static final UUID TAG_VEHICLE = UUID.randomUUID();
  static final UUID VEHICLE = UUID.randomUUID();
  static final UUID DTLS_VEHICLE = UUID.randomUUID();
  static final UUID FLEET = UUID.randomUUID();

  @DynamicPropertySource
  static void broker(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  @Value("${local.coap.port}")
  int port;

  @Value("${local.coap.dtls-port}")
  int dtlsPort;

  @Autowired DeviceRegistry registry;

  final Instant base = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
  int sequence;
  KafkaTopics topics;
  CoapEndpoint plain;

  @BeforeAll
  void registerDevices() throws Exception {
    topics = new KafkaTopics(kafka.bootstrapServers());
    topics.register(
        device(VEHICLE, "coap-van", TOKEN, true),
        device(UUID.randomUUID(), "coap-disabled", DISABLED_TOKEN, false),
        device(DTLS_VEHICLE, "coap-dtls", DTLS_TOKEN, true),
        device(UUID.randomUUID(), "coap-leaving", LEAVING_TOKEN, true),
        device(TAG_VEHICLE, "coap-tag", DeviceTokens.newToken(), true),
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            UUID.randomUUID(),
            FLEET,
            DeviceProtocol.GATEWAY,
            "coap-gateway",
            DeviceTokens.sha256Hex(GATEWAY_TOKEN),
            true,
            null,
            java.util.Set.of("coap-tag")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry.findByToken(TOKEN).isPresent()
                    && registry.findByToken(DISABLED_TOKEN).isPresent()
                    && registry.findByToken(DTLS_TOKEN).isPresent()
                    && registry.findByToken(LEAVING_TOKEN).isPresent()
                    && registry.findByToken(GATEWAY_TOKEN).isPresent());
    plain = new CoapEndpoint.Builder().setConfiguration(clientConfig()).build();
    plain.start();
  }

  @AfterAll
  void closeClient() {
    plain.destroy();
  }

  @Test
  @Order(1)
  void aPingWithItsTokenIsAnsweredChangedOnceItIsInThePingsTopic() throws Exception {
    Instant recordedAt = next();

    CoapResponse response = post("?token=" + TOKEN, ping(recordedAt, 52.52, 13.405));

    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(response.getResponseText()).contains("\"accepted\":1").contains("\"rejected\":[]");
    VehiclePing ping = topics.awaitPing(recordedAt);
    assertThat(ping.vehicleId()).isEqualTo(VEHICLE);
    assertThat(ping.fleetId()).isEqualTo(FLEET);
    assertThat(ping.protocol()).isEqualTo("coap");
  }

  @Test
  @Order(1)
  void aBatchGetsPerItemResultsAndItsInvalidItemGoesToTheRejectedTopic() throws Exception {
    Instant t = next();
    String marker = "coap-batch-" + UUID.randomUUID();
    String batch =
        "["
            + ping(t, 52.5, 13.4)
            + ",{\"recordedAt\":\""
            + next()
            + "\",\"latitude\":95,\"longitude\":13.4,\"attributes\":{\"m\":\""
            + marker
            + "\"}},"
            + ping(next(), 52.6, 13.5)
            + "]";

    CoapResponse response = post("?token=" + TOKEN, batch);

    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(response.getResponseText())
        .contains("\"accepted\":2")
        .contains("\"index\":1,\"reason\":\"latitude_out_of_range\"");
    ConsumerRecord<String, byte[]> rejected =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker),
                1)
            .get(0);
    assertThat(header(rejected, PingHeaders.REJECT_REASON)).isEqualTo("latitude_out_of_range");
    assertThat(header(rejected, PingHeaders.PROTOCOL)).isEqualTo("coap");
    assertThat(topics.awaitPing(t).vehicleId()).isEqualTo(VEHICLE);
  }

  @Test
  @Order(1)
  void brokenJsonIsBadRequestWithTheReasonAndNoValidPingIsBadRequestWithTheResults()
      throws Exception {
    CoapResponse broken = post("?token=" + TOKEN, "{not json");
    CoapResponse empty = post("?token=" + TOKEN, "[]");
    CoapResponse nullIsland = post("?token=" + TOKEN, ping(next(), 0, 0));

    assertThat(broken.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(broken.getResponseText()).startsWith("malformed: ");
    assertThat(empty.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(nullIsland.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(nullIsland.getResponseText()).contains("\"accepted\":0").contains("null_island");
  }

  @Test
  @Order(1)
  void aMissingOrUnknownTokenIsUnauthorizedAndADisabledDeviceForbidden() throws Exception {
    String body = ping(next(), 52, 13);

    assertThat(post("", body).getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
    assertThat(post("?token=fld_not-a-token", body).getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
    assertThat(post("?token=" + DISABLED_TOKEN, body).getCode()).isEqualTo(ResponseCode.FORBIDDEN);
  }

  @Test
  @Order(1)
  void aGatewaysItemsAreStoredAsTheRelayedDevicesAndAForgedOneIsRefused() throws Exception {
    Instant relayed = next();
    String batch =
        "[{\"device\":\"coap-tag\","
            + ping(relayed, 52.5, 13.4).substring(1)
            + ",{\"device\":\"coap-van\","
            + ping(next(), 52.5, 13.4).substring(1)
            + "]";

    CoapResponse response = post("?token=" + GATEWAY_TOKEN, batch);

    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(response.getResponseText())
        .contains("\"accepted\":1")
        .contains("\"index\":1,\"reason\":\"not_relayed\"");
    VehiclePing ping = topics.awaitPing(relayed);
    assertThat(ping.vehicleId()).isEqualTo(TAG_VEHICLE);
    assertThat(ping.protocol()).isEqualTo("coap");
  }

  @Test
  @Order(1)
  void anUploadOverTheLimitIsTooLargeEvenWhenSentBlockWise() throws Exception {
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 60; i++) {
      batch.append(i == 0 ? "" : ",").append(ping(base.plusMillis(i), 52, 13));
    }
    batch.append(']');
    assertThat(batch.length()).isGreaterThan(4096);

    CoapResponse response = post("?token=" + TOKEN, batch.toString());

    assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
  }

  @Test
  @Order(1)
  void aRetransmittedRequestIsAnsweredAgainButPublishedOnce() throws Exception {
    Instant recordedAt = next();
    Request request = Request.newPost();
    request.setURI("coap://127.0.0.1:" + port + "/pings?token=" + TOKEN);
    request.setMID(4242);
    request.setToken(new byte[] {1, 2, 3, 4});
    request.setPayload(ping(recordedAt, 52.52, 13.405));
    byte[] datagram = new UdpDataSerializer().getByteArray(request);

    Response first;
    Response second;
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(15_000);
      InetSocketAddress ingest = new InetSocketAddress("127.0.0.1", port);
      first = exchange(socket, ingest, datagram);
      second = exchange(socket, ingest, datagram);
    }

    assertThat(first.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(second.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(second.getMID()).isEqualTo(first.getMID()).isEqualTo(4242);
    assertThat(second.getType()).isEqualTo(CoAP.Type.ACK);
    // The answer came after the record was in Kafka, so the topic now holds all there will be.
    long copies =
        topics.all(Topics.PINGS).stream()
            .map(r -> FleetlineJson.read(r.value(), VehiclePing.class))
            .filter(p -> p.recordedAt().equals(recordedAt))
            .count();
    assertThat(copies).isEqualTo(1);
  }

  @Test
  @Order(1)
  void aDtlsDeviceWithItsPreSharedKeyIsAccepted() throws Exception {
    Instant recordedAt = next();
    CoapEndpoint secure = dtlsEndpoint("coap-dtls", pskOf(DTLS_TOKEN));
    try {
      CoapResponse response = postSecure(secure, ping(recordedAt, 48.85, 2.35));

      assertThat(response).isNotNull();
      assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
      VehiclePing ping = topics.awaitPing(recordedAt);
      assertThat(ping.vehicleId()).isEqualTo(DTLS_VEHICLE);
      assertThat(ping.protocol()).isEqualTo("coap");
    } finally {
      secure.destroy();
    }
  }

  @Test
  @Order(1)
  void aDtlsHandshakeWithAWrongKeyFailsAndNothingIsStored() throws Exception {
    Instant recordedAt = next();
    // One retransmission: the handshake that cannot succeed is given up soon.
    CoapEndpoint secure = dtlsEndpoint("coap-dtls", pskOf(DeviceTokens.newToken()), 1);
    try {
      CoapResponse response = postSecure(secure, ping(recordedAt, 48.85, 2.35));

      assertThat(response).isNull();
    } finally {
      secure.destroy();
    }
    assertThat(
            topics.all(Topics.PINGS).stream()
                .map(r -> FleetlineJson.read(r.value(), VehiclePing.class))
                .filter(p -> p.recordedAt().equals(recordedAt)))
        .isEmpty();
  }

  @Test
  @Order(2)
  void aDtlsSessionOfADeviceRemovedSinceItsHandshakeIsAnsweredNotFound() throws Exception {
    CoapEndpoint secure = dtlsEndpoint("coap-leaving", pskOf(LEAVING_TOKEN));
    try {
      assertThat(postSecure(secure, ping(next(), 48.85, 2.35)).getCode())
          .isEqualTo(ResponseCode.CHANGED);
      topics.unregister(new DeviceKey(DeviceProtocol.HTTP, "coap-leaving"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !registry.findByToken(LEAVING_TOKEN).isPresent());

      assertThat(postSecure(secure, ping(next(), 48.85, 2.35)).getCode())
          .isEqualTo(ResponseCode.NOT_FOUND);
    } finally {
      secure.destroy();
    }
  }

  @Test
  @Order(3)
  void withKafkaGoneTheDeviceGetsServiceUnavailableAndChangedOnlyOnceThePingIsStored()
      throws Exception {
    Instant recordedAt = next();
    String body = ping(recordedAt, 52.52, 13.405);
    kafka.stop();
    try {
      CoapResponse refused = post("?token=" + TOKEN, body);

      assertThat(refused.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
      assertThat(refused.getOptions().getMaxAge()).isEqualTo(5L);
    } finally {
      kafka.restart();
    }
    await("ingest takes pings again")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(post("?token=" + TOKEN, body).getCode())
                    .isEqualTo(ResponseCode.CHANGED));
    assertThat(topics.awaitPing(recordedAt).vehicleId()).isEqualTo(VEHICLE);
  }

  private CoapResponse post(String query, String body) throws Exception {
    CoapClient client = new CoapClient("coap://127.0.0.1:" + port + "/pings" + query);
    client.setEndpoint(plain);
    client.setTimeout(30_000L);
    try {
      return client.post(body, MediaTypeRegistry.APPLICATION_JSON);
    } finally {
      client.shutdown();
    }
  }

  /** The answer over DTLS, or null when there was none (the handshake failed). */
  private CoapResponse postSecure(CoapEndpoint secure, String body) {
    CoapClient client = new CoapClient("coaps://127.0.0.1:" + dtlsPort + "/pings");
    client.setEndpoint(secure);
    // As long as the default retransmissions may take, so a slow first handshake still succeeds.
    client.setTimeout(60_000L);
    try {
      return client.post(body, MediaTypeRegistry.APPLICATION_JSON);
    } catch (Exception e) {
      return null;
    } finally {
      client.shutdown();
    }
  }

  /** A DTLS client retransmitting its handshake flights as Californium does by default. */
  private static CoapEndpoint dtlsEndpoint(String identity, byte[] key) {
    return dtlsEndpoint(identity, key, DtlsConfig.DEFAULT_MAX_RETRANSMISSIONS);
  }

  private static CoapEndpoint dtlsEndpoint(String identity, byte[] key, int retransmissions) {
    Configuration config = clientConfig();
    config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
    config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, retransmissions);
    DtlsConnectorConfig dtls =
        DtlsConnectorConfig.builder(config)
            .setAddress(new InetSocketAddress("127.0.0.1", 0))
            .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key))
            .build();
    CoapEndpoint endpoint =
        new CoapEndpoint.Builder()
            .setConfiguration(config)
            .setConnector(new DTLSConnector(dtls))
            .build();
    try {
      endpoint.start();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return endpoint;
  }

  /** What a device uses as its DTLS key: the SHA-256 of its token. */
  private static byte[] pskOf(String token) {
    return HexFormat.of().parseHex(DeviceTokens.sha256Hex(token));
  }

  private static Configuration clientConfig() {
    return new Configuration(
        SystemConfig.DEFINITIONS,
        CoapConfig.DEFINITIONS,
        UdpConfig.DEFINITIONS,
        DtlsConfig.DEFINITIONS);
  }

  @Test
  @Order(30)
  void blockWiseUploadsStartedBeyondTheBoundAreNotKeptForAssembly() throws Exception {
    InetSocketAddress ingest = new InetSocketAddress("127.0.0.1", port);
    List<DatagramSocket> sockets = new ArrayList<>();
    int continued = 0;
    try {
      for (int i = 0; i < 4; i++) {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(15_000);
        sockets.add(socket);
        exchange(socket, ingest, block(i, 0));
      }
      // Only an upload whose first block was kept can go on with its second.
      for (int i = 0; i < 4; i++) {
        if (exchange(sockets.get(i), ingest, block(i, 1)).getCode() == ResponseCode.CONTINUE) {
          continued++;
        }
      }
    } finally {
      sockets.forEach(DatagramSocket::close);
    }

    assertThat(continued).as("uploads assembled at once").isEqualTo(2);
  }

  /** Block {@code num} of 64 bytes of upload {@code upload}, more to come. */
  private byte[] block(int upload, int num) {
    Request request = Request.newPost();
    request.setURI("coap://127.0.0.1:" + port + "/pings?token=" + TOKEN);
    request.setMID(7000 + upload * 10 + num);
    request.setToken(new byte[] {9, 9, 9, (byte) upload});
    request.getOptions().setBlock1(BlockOption.size2Szx(64), true, num);
    request.setPayload(new byte[64]);
    return new UdpDataSerializer().getByteArray(request);
  }

  private static Response exchange(DatagramSocket socket, InetSocketAddress to, byte[] datagram)
      throws Exception {
    socket.send(new DatagramPacket(datagram, datagram.length, to));
    byte[] buffer = new byte[2048];
    DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
    socket.receive(answer);
    byte[] bytes = java.util.Arrays.copyOf(buffer, answer.getLength());
    return (Response) new UdpDataParser().parseMessage(bytes);
  }

  private static DeviceRegistration device(
      UUID vehicle, String identifier, String token, boolean enabled) {
    return new DeviceRegistration(
        1,
        UUID.randomUUID(),
        vehicle,
        FLEET,
        DeviceProtocol.HTTP,
        identifier,
        DeviceTokens.sha256Hex(token),
        enabled);
  }

  private Instant next() {
    return base.plusSeconds(++sequence);
  }

  private static String ping(Instant recordedAt, double latitude, double longitude) {
    return "{\"recordedAt\":\""
        + recordedAt
        + "\",\"latitude\":"
        + latitude
        + ",\"longitude\":"
        + longitude
        + ",\"speedKmh\":42.5}";
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
