package io.fleetline.systemtest;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.common.Topics;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform for a test: the real Kafka broker (KRaft), a PostGIS database, and the three
 * services as separate JVMs configured the way an operator would configure them.
 */
final class Platform implements AutoCloseable {

  static final String ADMIN_CLIENT_ID = "platform-admin";
  static final String ADMIN_SECRET = "system-test-" + UUID.randomUUID();

  private final EmbeddedKafkaKraftBroker kafka;
  private final List<ServiceProcess> services = new ArrayList<>();
  final ServiceProcess api;
  final ServiceProcess ingest;
  final ServiceProcess routing;

  private Platform() {
    kafka = new EmbeddedKafkaKraftBroker(1, 12);
    kafka.afterPropertiesSet();
    kafka.addTopics(
        new NewTopic(Topics.PINGS, 12, (short) 1),
        new NewTopic(Topics.PINGS_REJECTED, 12, (short) 1));
    TestDatabase database = TestPostgis.newDatabase();

    Map<String, String> common = new HashMap<>();
    common.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString());
    common.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
    common.put("SPRING_DATASOURCE_USERNAME", database.username());
    common.put("SPRING_DATASOURCE_PASSWORD", database.password());

    int apiPort = freePort();
    Map<String, String> apiEnv = new HashMap<>(common);
    apiEnv.put("FLEETLINE_AUTH_ISSUER", "http://127.0.0.1:" + apiPort);
    apiEnv.put("FLEETLINE_AUTH_SIGNING_KEY", "file:" + signingKeyFile());
    apiEnv.put("FLEETLINE_ADMIN_CLIENT_ID", ADMIN_CLIENT_ID);
    apiEnv.put("FLEETLINE_ADMIN_CLIENT_SECRET", ADMIN_SECRET);

    // Device ports on free ones too: a local stack or another test may hold the well-known ones.
    Map<String, String> ingestEnv = new HashMap<>(common);
    ingestEnv.put("FLEETLINE_INGEST_OSMAND_PORT", Integer.toString(freePort()));
    ingestEnv.put("FLEETLINE_INGEST_TELTONIKA_PORT", Integer.toString(freePort()));

    try {
      // fleet-api migrates the schema first, then routing finds it in place.
      api = track(ServiceProcess.start("api", apiPort, apiEnv));
      ingest = track(ServiceProcess.start("ingest", freePort(), ingestEnv));
      api.awaitReady(Duration.ofMinutes(3));
      routing = track(ServiceProcess.start("routing", freePort(), common));
      ingest.awaitReady(Duration.ofMinutes(3));
      routing.awaitReady(Duration.ofMinutes(3));
    } catch (RuntimeException e) {
      // A failed start must not leave the services that did start running after the test.
      try {
        close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static Platform shared;

  static Platform start() {
    return new Platform();
  }

  /**
   * One platform for every system test of this JVM: starting three services and a broker is the
   * expensive part, and the tests keep apart by creating fleets of their own. Stopped at exit.
   */
  static synchronized Platform shared() {
    if (shared == null) {
      Platform platform = new Platform();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      platform.close();
                    } catch (Exception e) {
                      // exiting anyway
                    }
                  },
                  "stop-platform"));
      shared = platform;
    }
    return shared;
  }

  /**
   * A token of a new fleet's client with fleet.read and fleet.write: each test works in a fleet of
   * its own, created the way an operator would (platform admin → fleet → client).
   */
  String newFleetToken(String fleetName) throws Exception {
    ApiClient client = new ApiClient(api.baseUrl());
    String admin = client.token(ADMIN_CLIENT_ID, ADMIN_SECRET, "platform.admin");
    String fleetId =
        client
            .post("/api/v1/admin/fleets", admin, "{\"name\":\"" + fleetName + "\"}")
            .json()
            .get("id")
            .stringValue();
    JsonNode credentials =
        client
            .post(
                "/api/v1/admin/fleets/" + fleetId + "/clients",
                admin,
                "{\"name\":\"system-test\",\"scopes\":[\"fleet.read\",\"fleet.write\"]}")
            .json();
    return client.token(
        credentials.get("clientId").stringValue(),
        credentials.get("clientSecret").stringValue(),
        "fleet.read fleet.write");
  }

  private ServiceProcess track(ServiceProcess service) {
    services.add(service);
    return service;
  }

  @Override
  public void close() throws Exception {
    for (ServiceProcess service : services) {
      service.close();
    }
    kafka.destroy();
  }

  /** Writes a fresh RSA key as PKCS#8 PEM, the form an operator configures. */
  private static Path signingKeyFile() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(der)
              + "\n-----END PRIVATE KEY-----\n";
      Path file = Files.createTempFile("fleetline-jwt", ".pem");
      file.toFile().deleteOnExit();
      return Files.writeString(file, pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
