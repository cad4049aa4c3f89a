package io.fleetline.ingest.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.filter.FormContentFilter;

/**
 * Hostile clients on ingest's HTTP ports (pings and OsmAnd) over raw sockets: slow bodies, lying
 * lengths, broken or exploding gzip, oversized chunked bodies, overlong queries and headers. The
 * connectors' timeouts are long here, so whatever is refused or closed is so because of a limit,
 * not because a timeout ran out.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.osmand.port=0",
      "server.tomcat.threads.max=100",
      "server.tomcat.connection-timeout=120s",
      "fleetline.ingest.osmand.io-threads=2",
      "fleetline.ingest.osmand.connection-timeout=120s",
      "fleetline.ingest.transport.max-requests-per-source=8",
      "fleetline.ingest.transport.max-body-read-time=120s"
    })
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportAttacksIntegrationTest {

  static final String TOKEN = DeviceTokens.newToken();
  static final String PHONE = "phone-7";
  static final int SLOW_CLIENTS = 500;
  static final int FOUR_MIB = 4 * 1024 * 1024;

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @LocalServerPort int pingPort;

  @Autowired ServletWebServerApplicationContext context;
  @Autowired DeviceRegistry registry;
  @Autowired MeterRegistry meters;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  KafkaTopics topics;
  int osmandPort;

  @BeforeAll
  void registerDevices() throws Exception {
    topics = new KafkaTopics(brokers);
    topics.register(
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            DeviceProtocol.HTTP,
            "van-7",
            DeviceTokens.sha256Hex(TOKEN),
            true),
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            DeviceProtocol.OSMAND,
            PHONE,
            null,
            true));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry.findByToken(TOKEN).isPresent()
                    && registry.find(new DeviceKey(DeviceProtocol.OSMAND, PHONE)).isPresent());
    osmandPort = context.getEnvironment().getRequiredProperty("local.osmand.port", Integer.class);
  }

  @Test
  void fiveHundredSlowClientsFromOneAddressDoNotStopANormalDeviceOnThePingPort() throws Exception {
    String slowUpload =
        "POST /api/v1/pings HTTP/1.1\r\nHost: ingest\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n[";
    List<RawClient> attackers = new ArrayList<>();
    try {
      List<RawClient> uploads = openSlowClients("127.0.0.2", pingPort, slowUpload, attackers);

      assertThat(postPing(Instant.now().minusSeconds(2)).statusCode())
          .as("a normal device is served while the attackers' connections are open")
          .isEqualTo(202);
      assertRefusedAndClosed(uploads);
      assertThat(
              meters
                  .counter("fleetline.ingest.http.refused", "reason", "requests_per_source")
                  .count())
          .isGreaterThanOrEqualTo(uploads.size() - 8);
    } finally {
      closeAll(attackers);
    }
  }

  @Test
  void fiveHundredSlowClientsFromOneAddressDoNotStopANormalPhoneOnTheOsmandPort() throws Exception {
    String slowForm =
        "POST / HTTP/1.1\r\nHost: osmand\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\nid";
    List<RawClient> attackers = new ArrayList<>();
    try {
      List<RawClient> forms = openSlowClients("127.0.0.3", osmandPort, slowForm, attackers);

      assertThat(getOsmand(osmandQuery(Instant.now().minusSeconds(3))).statusCode())
          .as("a normal phone is served while the attackers' connections are open")
          .isEqualTo(200);
      assertRefusedAndClosed(forms);
    } finally {
      closeAll(attackers);
    }
  }

  @Test
  void uploadsDeclaringFourMebibytesAndSendingOneByteCostOnlyWhatArrives() throws Exception {
    int uploads = 60;
    List<RawClient> attackers = new ArrayList<>();
    try {
      long allocatedBefore = allocatedBytes();
      for (int i = 1; i <= uploads; i++) {
        attackers.add(
            RawClient.connect("127.0.1." + i, pingPort)
                .send(
                    "POST /api/v1/pings HTTP/1.1\r\nHost: ingest\r\nAuthorization: Bearer "
                        + TOKEN
                        + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + FOUR_MIB
                        + "\r\n\r\n["));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> busyThreads(pingPort) >= uploads);
      long allocated = allocatedBytes() - allocatedBefore;

      assertThat(allocated)
          .as("bytes allocated while %d uploads wait for their bodies", uploads)
          .isLessThan((long) uploads * FOUR_MIB / 4);
      assertThat(postPing(Instant.now().minusSeconds(4)).statusCode()).isEqualTo(202);
      assertThat(health()).contains("\"status\":\"UP\"");
    } finally {
      closeAll(attackers);
    }
  }

  @Test
  void osmandFormPostsDeclaringTwoMegabytesAreAnswered413BeforeTheirBodiesArrive()
      throws Exception {
    int posts = 60;
    List<RawClient> attackers = new ArrayList<>();
    try {
      long allocatedBefore = allocatedBytes();
      for (int i = 1; i <= posts; i++) {
        attackers.add(
            RawClient.connect("127.0.2." + i, osmandPort)
                .send(
                    "POST / HTTP/1.1\r\nHost: osmand\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 2000000\r\n\r\ni"));
      }
      for (RawClient attacker : attackers) {
        assertThat(attacker.readResponse())
            .as("answered while the body is still to come")
            .startsWith("HTTP/1.1 413")
            .contains("application/problem+json");
      }

      assertThat(allocatedBytes() - allocatedBefore).isLessThan(posts * 2_000_000L / 4);
      assertThat(getOsmand(osmandQuery(Instant.now().minusSeconds(5))).statusCode()).isEqualTo(200);
    } finally {
      closeAll(attackers);
    }
  }

  @Test
  void unknownTokensAreAnswered401BeforeTheBodyAndTheirUnsentBodiesCountAgainstTheirAddress()
      throws Exception {
    String unknownToken =
        "POST /api/v1/pings HTTP/1.1\r\nHost: ingest\r\nAuthorization: Bearer fld_unknown\r\n"
            + "Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n[";
    List<RawClient> attackers = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        RawClient attacker = RawClient.connect("127.0.0.4", pingPort).send(unknownToken);
        attackers.add(attacker);
        assertThat(attacker.readUntil("Unknown device token."))
            .as("answered while the body is still to come")
            .startsWith("HTTP/1.1 401")
            .contains("WWW-Authenticate: Bearer");
      }
      RawClient oneMore = RawClient.connect("127.0.0.4", pingPort).send(unknownToken);
      attackers.add(oneMore);

      assertThat(oneMore.readUntilClosed()).startsWith("HTTP/1.1 429");
      assertThat(postPing(Instant.now().minusSeconds(8)).statusCode()).isEqualTo(202);
    } finally {
      closeAll(attackers);
    }
  }

  @Test
  void gzipThatIsNotGzipIsTruncatedOrEmptyIs400MalformedOnBothPorts() throws Exception {
    byte[] json = pingJson(Instant.now().minusSeconds(6)).getBytes(StandardCharsets.UTF_8);
    byte[] form = ("id=" + PHONE + "&lat=52.5&lon=13.4").getBytes(StandardCharsets.UTF_8);
    byte[] gzippedJson = gzip(json);
    byte[] gzippedForm = gzip(form);

    for (byte[][] attempt :
        new byte[][][] {
          {json, form},
          {Arrays.copyOf(gzippedJson, gzippedJson.length / 2), truncated(gzippedForm)},
          {new byte[0], new byte[0]}
        }) {
      assertMalformed(postPingGzip(attempt[0]));
      assertMalformed(postOsmandForm(attempt[1], true));
    }
  }

  @Test
  void aGzipBombStopsAtTheLimitWith413OnBothPorts() throws Exception {
    byte[] pingBomb = gzip(new byte[2 * FOUR_MIB]);
    byte[] formBomb = gzip(("id=" + PHONE + "&x=" + "0".repeat(1 << 20)).getBytes());

    assertTooLarge(postPingGzip(pingBomb));
    assertTooLarge(postOsmandForm(formBomb, true));
  }

  @Test
  void aGzippedOsmandFormPostIsStored() throws Exception {
    Instant recordedAt = Instant.now().minusSeconds(7).truncatedTo(ChronoUnit.SECONDS);

    HttpResponse<String> response =
        postOsmandForm(gzip(osmandQuery(recordedAt).getBytes(StandardCharsets.UTF_8)), true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(topics.awaitPing(recordedAt).protocol()).isEqualTo("osmand");
  }

  @Test
  void oversizedChunkedBodiesAre413OnBothPorts() throws Exception {
    assertThat(sendChunked(pingPort, "/api/v1/pings", "application/json", FOUR_MIB + 1024))
        .startsWith("HTTP/1.1 413")
        .contains("application/problem+json");
    assertThat(sendChunked(osmandPort, "/", "application/x-www-form-urlencoded", 65 * 1024))
        .startsWith("HTTP/1.1 413")
        .contains("application/problem+json");
  }

  @Test
  void noFilterReadsPutPatchOrDeleteFormBodiesAheadOfIngestsOwnLimits() {
    // Spring's form content filter would read such a body whole, without any limit, on any path.
    assertThat(context.getBeansOfType(FormContentFilter.class)).isEmpty();
  }

  @Test
  void overlongQueriesAndHeadersAreRefusedWithoutAServerError() throws Exception {
    String longQuery = osmandQuery(Instant.now()) + "&pad=" + "x".repeat(5000);
    try (RawClient client = RawClient.connect("127.0.0.5", osmandPort)) {
      client.send("GET /?" + longQuery + " HTTP/1.1\r\nHost: osmand\r\n\r\n");
      assertThat(client.readResponse()).startsWith("HTTP/1.1 414");
    }
    try (RawClient client = RawClient.connect("127.0.0.5", osmandPort)) {
      client.send("GET /?" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: osmand\r\n\r\n");
      assertThat(client.readUntilClosed()).matches("(?s)HTTP/1.1 4(00|14|31) .*");
    }
    try (RawClient client = RawClient.connect("127.0.0.5", pingPort)) {
      client.send(
          "POST /api/v1/pings HTTP/1.1\r\nHost: ingest\r\nX-Pad: "
              + "x".repeat(16_000)
              + "\r\nContent-Length: 2\r\n\r\n[]");
      assertThat(client.readUntilClosed()).matches("(?s)HTTP/1.1 4(00|31) .*");
    }
  }

  /**
   * Opens {@link #SLOW_CLIENTS} connections from one address, half of them stopping inside their
   * headers and half after the headers of a request that declares a body it never sends; returns
   * the latter.
   */
  private List<RawClient> openSlowClients(
      String from, int port, String requestHead, List<RawClient> all) throws IOException {
    List<RawClient> bodies = new ArrayList<>();
    for (int i = 0; i < SLOW_CLIENTS; i++) {
      RawClient client = RawClient.connect(from, port);
      all.add(client);
      if (i % 2 == 0) {
        client.send("POST / HTTP/1.1\r\nHost: ingest\r\nContent-");
      } else {
        bodies.add(client.send(requestHead));
      }
    }
    return bodies;
  }

  /** All but the address's share of requests are answered 429 at once and closed. */
  private static void assertRefusedAndClosed(List<RawClient> clients) throws IOException {
    int allowed = 8;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> answered(clients) >= clients.size() - allowed);
    for (RawClient client : clients) {
      if (client.answered()) {
        assertThat(client.readUntilClosed())
            .startsWith("HTTP/1.1 429")
            .contains("Retry-After: ")
            .contains("application/problem+json");
      }
    }
  }

  private static int answered(List<RawClient> clients) throws IOException {
    int answered = 0;
    for (RawClient client : clients) {
      answered += client.answered() ? 1 : 0;
    }
    return answered;
  }

  private static void closeAll(List<RawClient> clients) throws IOException {
    for (RawClient client : clients) {
      client.close();
    }
  }

  private String sendChunked(int port, String path, String type, int bytes) throws IOException {
    try (RawClient client = RawClient.connect("127.0.0.6", port)) {
      client.send(
          "POST "
              + path
              + " HTTP/1.1\r\nHost: ingest\r\nAuthorization: Bearer "
              + TOKEN
              + "\r\nContent-Type: "
              + type
              + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = new byte[8192];
      Arrays.fill(chunk, (byte) 'x');
      String size = Integer.toHexString(chunk.length) + "\r\n";
      try {
        for (int sent = 0; sent < bytes; sent += chunk.length) {
          client.send(size).send(chunk).send("\r\n");
        }
        client.send("0\r\n\r\n");
      } catch (IOException e) {
        // The server may answer and close before the rest is sent.
      }
      return client.readUntilClosed();
    }
  }

  private Connector[] connectors() {
    return ((TomcatWebServer) context.getWebServer()).getTomcat().getService().findConnectors();
  }

  private int busyThreads(int port) {
    Connector connector =
        Arrays.stream(connectors()).filter(c -> c.getLocalPort() == port).findFirst().orElseThrow();
    return ((ThreadPoolExecutor) connector.getProtocolHandler().getExecutor()).getActiveCount();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getTotalThreadAllocatedBytes();
  }

  private HttpResponse<String> postPing(Instant recordedAt) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pingPort + "/api/v1/pings"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(pingJson(recordedAt)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postPingGzip(byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pingPort + "/api/v1/pings"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> getOsmand(String query) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + osmandPort + "/?" + query))
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postOsmandForm(byte[] body, boolean gzip) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + osmandPort + "/"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String health() throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + pingPort + "/actuator/health/liveness"))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static void assertMalformed(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(response.body()).contains("gzip");
  }

  private static void assertTooLarge(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
  }

  static String pingJson(Instant recordedAt) {
    return "{\"recordedAt\":\""
        + recordedAt
        + "\",\"latitude\":52.5,\"longitude\":13.4,\"speedKmh\":10,\"headingDeg\":90}";
  }

  static String osmandQuery(Instant recordedAt) {
    return "id=" + PHONE + "&lat=52.5&lon=13.4&timestamp=" + recordedAt.getEpochSecond();
  }

  private static byte[] truncated(byte[] gzip) {
    return Arrays.copyOf(gzip, gzip.length - 6);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }
}
