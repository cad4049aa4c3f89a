package io.fleetline.systemtest;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.ingest.testing.KafkaBrokerProcess;
import io.fleetline.ingest.testing.MosquittoBroker;
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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform as the local stack runs it ({@code deploy/local/up.sh}): the real Kafka broker
 * (KRaft) in a JVM of its own, Mosquitto, a PostGIS database, and the four services as separate
 * JVMs configured through the environment variables an operator sets. The broker and the services
 * can be killed and started again with the same configuration, port and data.
 */
final class Platform implements AutoCloseable {

  static final String ADMIN_CLIENT_ID = "platform-admin";
  static final String ADMIN_SECRET = "system-test-" + UUID.randomUUID();

  /** Broker settings of {@code deploy/local/kafka/server.properties.template} that matter here. */
  private static final Map<String, String> LOCAL_STACK_KAFKA =
      Map.of(
          "auto.create.topics.enable", "false",
          "num.partitions", "12",
          "default.replication.factor", "1",
          "min.insync.replicas", "1");

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final List<AutoCloseable> started = new ArrayList<>();
  final KafkaBrokerProcess kafka;
  final MosquittoBroker mqtt;
  final TileServer tiles;
  final TestDatabase database;
  final int osmandPort;
  final int teltonikaPort;
  final ServiceProcess api;
  final ServiceProcess ingest;
  final ServiceProcess routing;
  final ServiceProcess analytics;
  private volatile boolean brokerDown;

  private Platform() {
    try {
      kafka = track(KafkaBrokerProcess.start(LOCAL_STACK_KAFKA));
      mqtt = track(MosquittoBroker.start());
      tiles = track(TileServer.start());
      database = TestPostgis.newDatabase();

      Map<String, String> common = new HashMap<>();
      common.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
      Map<String, String> withDb = new HashMap<>(common);
      withDb.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
      withDb.put("SPRING_DATASOURCE_USERNAME", database.username());
      withDb.put("SPRING_DATASOURCE_PASSWORD", database.password());

      int apiPort = freePort();
      Map<String, String> apiEnv = new HashMap<>(withDb);
      apiEnv.put("FLEETLINE_AUTH_ISSUER", "http://127.0.0.1:" + apiPort);
      apiEnv.put("FLEETLINE_AUTH_SIGNING_KEY", "file:" + signingKeyFile());
      apiEnv.put("FLEETLINE_ADMIN_CLIENT_ID", ADMIN_CLIENT_ID);
      apiEnv.put("FLEETLINE_ADMIN_CLIENT_SECRET", ADMIN_SECRET);
      // The console's map tiles from a local stub instead of the internet.
      apiEnv.put("FLEETLINE_CONSOLE_TILES_URL", tiles.urlTemplate());

      // Device ports on free ones: a local stack or another test may hold the well-known ones.
      osmandPort = freePort();
      teltonikaPort = freePort();
      Map<String, String> ingestEnv = new HashMap<>(common);
      ingestEnv.put("FLEETLINE_INGEST_OSMAND_PORT", Integer.toString(osmandPort));
      ingestEnv.put("FLEETLINE_INGEST_TELTONIKA_PORT", Integer.toString(teltonikaPort));
      ingestEnv.put("FLEETLINE_INGEST_COAP_PORT", "0");
      ingestEnv.put("FLEETLINE_INGEST_COAP_DTLS_PORT", "0");
      // ingest logs in to the broker and keeps its password file current, as the local stack does.
      mqtt.ingestSettings()
          .forEach(
              (property, value) ->
                  ingestEnv.put(
                      property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT), value));

      // fleet-api migrates the schema before routing starts; ingest needs neither, so it starts
      // alongside fleet-api.
      api = track(ServiceProcess.start("api", apiPort, apiEnv));
      ingest = track(ServiceProcess.start("ingest", freePort(), ingestEnv));
      api.awaitReady(START_TIMEOUT);
      routing = track(ServiceProcess.start("routing", freePort(), withDb));
      analytics = track(ServiceProcess.start("analytics", freePort(), analyticsSettings(withDb)));
      ingest.awaitReady(START_TIMEOUT);
      routing.awaitReady(START_TIMEOUT);
      analytics.awaitReady(START_TIMEOUT);
    } catch (RuntimeException e) {
      // A failed start must not leave what did start running after the test.
      try {
        close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * analytics-service as the local stack runs it, with its Kafka Streams state under this module's
   * target directory (a fresh one per platform, so no earlier run's state is restored) and a short
   * punctuation interval, so that held pings and summaries are written soon after a run ends.
   */
  private static Map<String, String> analyticsSettings(Map<String, String> withDb) {
    Map<String, String> env = new HashMap<>(withDb);
    Path stateDir = Path.of("target", "analytics-state", UUID.randomUUID().toString());
    env.put("FLEETLINE_ANALYTICS_STATE_DIR", stateDir.toAbsolutePath().toString());
    env.put("FLEETLINE_ANALYTICS_STANDBY_REPLICAS", "0");
    env.put("FLEETLINE_ANALYTICS_PUNCTUATE_INTERVAL", "2s");
    env.put("FLEETLINE_ANALYTICS_EVENT_SWEEP", "2s");
    return env;
  }

  private static Platform shared;

  /**
   * One platform for every system test of this JVM: starting a broker and three services is the
   * expensive part, and the tests keep apart by creating fleets of their own. A test that kills a
   * process restarts it before it ends. Stopped at exit.
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

  /** Kills the Kafka broker with SIGKILL; its data stays for {@link #restartBroker()}. */
  void killBroker() throws InterruptedException {
    brokerDown = true;
    kafka.kill();
  }

  /** Starts the killed broker again on the same port with the same data. */
  void restartBroker() {
    kafka.restart();
    brokerDown = false;
  }

  /**
   * Starts again whatever a fault test killed and did not restart (say, because it failed half
   * way), so that the tests after it find the whole platform.
   */
  void restoreAfterFaults(Duration timeout) {
    if (brokerDown) {
      restartBroker();
    }
    for (ServiceProcess service : List.of(api, ingest, routing, analytics)) {
      if (!service.isAlive()) {
        service.restart(timeout);
      }
      service.awaitReady(timeout);
    }
  }

  String osmandUrl() {
    return "http://127.0.0.1:" + osmandPort;
  }

  /**
   * What the simulator reads from the local stack's env file ({@code .local/fleetline.env}), for
   * this platform and a client of {@code fleet}.
   */
  Map<String, String> simulatorSettings(Fleet fleet) {
    return Map.of(
        "FLEETLINE_API_URL", api.baseUrl(),
        "FLEETLINE_INGEST_URL", ingest.baseUrl(),
        "FLEETLINE_OSMAND_URL", osmandUrl(),
        "FLEETLINE_TELTONIKA_ADDR", "127.0.0.1:" + teltonikaPort,
        "FLEETLINE_MQTT_URL", mqtt.url(),
        "FLEETLINE_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
        "FLEETLINE_DEMO_CLIENT_ID", fleet.clientId(),
        "FLEETLINE_DEMO_CLIENT_SECRET", fleet.clientSecret());
  }

  /**
   * A token of a new fleet's client with fleet.read and fleet.write: each test works in a fleet of
   * its own, created the way an operator would (platform admin → fleet → client).
   */
  String newFleetToken(String fleetName) throws Exception {
    return newFleet(fleetName).token();
  }

  /** A new fleet and a token of its client with fleet.read and fleet.write. */
  Fleet newFleet(String fleetName) throws Exception {
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
    String clientId = credentials.get("clientId").stringValue();
    String secret = credentials.get("clientSecret").stringValue();
    return new Fleet(
        fleetId, clientId, secret, client.token(clientId, secret, "fleet.read fleet.write"));
  }

  /** A fleet of this platform with the credentials of one of its clients. */
  record Fleet(String id, String clientId, String clientSecret, String token) {}

  private <T extends AutoCloseable> T track(T component) {
    started.add(component);
    return component;
  }

  /** Stops the services first (ingest before the brokers), then the brokers. */
  @Override
  public void close() throws Exception {
    Exception failure = null;
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
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

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
