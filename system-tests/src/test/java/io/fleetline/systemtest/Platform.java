package io.fleetline.systemtest;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.ingest.testing.KafkaCluster;
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
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform as the local stack runs it ({@code deploy/local/up.sh}): the real Kafka broker
 * (KRaft) in a JVM of its own, Mosquitto, a PostGIS database, and the four services as separate
 * JVMs configured through the environment variables an operator sets. The broker and the services
 * can be killed and started again with the same configuration, port and data. {@link
 * #scaledOut(Shape)} runs it as a production cluster does instead: several brokers, and several
 * instances of each service.
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

  /**
   * A cluster of three as an operator configures it: every topic in three copies, of which a write
   * needs two, so that one broker can be lost without losing or refusing anything.
   */
  private static final Map<String, String> THREE_BROKER_KAFKA =
      Map.of(
          "auto.create.topics.enable", "false",
          "num.partitions", "12",
          "default.replication.factor", "3",
          "min.insync.replicas", "2");

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /**
   * How many of each the platform runs.
   *
   * @param analytics instances of analytics-service, 0 for none; several share its partitions
   */
  record Shape(int kafkaBrokers, int apis, int ingests, int routings, int analytics) {
    static final Shape SINGLE = new Shape(1, 1, 1, 1, 1);
  }

  /** One ingest instance and its device ports. */
  record Ingest(ServiceProcess service, int osmandPort, int teltonikaPort) {
    String osmandUrl() {
      return "http://127.0.0.1:" + osmandPort;
    }
  }

  private final List<AutoCloseable> started = new ArrayList<>();
  final KafkaCluster kafka;
  final MosquittoBroker mqtt;
  final TileServer tiles;
  final TestDatabase database;
  final int osmandPort;
  final int teltonikaPort;
  final ServiceProcess api;
  final ServiceProcess ingest;
  final ServiceProcess routing;

  /** The first analytics-service instance; null when the shape has none. */
  final ServiceProcess analytics;

  /** Every analytics-service instance, in start order. */
  final List<ServiceProcess> analyticsInstances = new ArrayList<>();

  final List<ServiceProcess> apis = new ArrayList<>();
  final List<Ingest> ingests = new ArrayList<>();
  final List<ServiceProcess> routings = new CopyOnWriteArrayList<>();
  private final Map<String, String> routingEnv;
  private volatile boolean brokerDown;

  /**
   * @param analyticsOverrides environment of every analytics-service instance over {@link
   *     #analyticsSettings}
   */
  private Platform(Shape shape, Map<String, String> analyticsOverrides) {
    try {
      kafka =
          track(
              KafkaCluster.start(
                  shape.kafkaBrokers(),
                  shape.kafkaBrokers() >= 3 ? THREE_BROKER_KAFKA : LOCAL_STACK_KAFKA));
      mqtt = track(MosquittoBroker.start());
      tiles = track(TileServer.start());
      database = TestPostgis.newDatabase();

      Map<String, String> common = new HashMap<>();
      common.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
      // A killed instance's consumers give up their partitions 10 s after its last heartbeat
      // instead of Kafka's 45 s, so that a takeover does not outlast the steps that wait for it.
      common.put("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "10000");
      common.put("SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "3000");
      if (shape.kafkaBrokers() >= 3) {
        // The topics the services create, in three copies of which a write needs two; the
        // broker's defaults say the same for topics created without a replication setting.
        common.put("FLEETLINE_KAFKA_TOPICS_REPLICATION_FACTOR", "3");
        common.put("FLEETLINE_KAFKA_TOPICS_MIN_INSYNC_REPLICAS", "2");
      }
      Map<String, String> withDb = new HashMap<>(common);
      withDb.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
      withDb.put("SPRING_DATASOURCE_USERNAME", database.username());
      withDb.put("SPRING_DATASOURCE_PASSWORD", database.password());
      routingEnv = withDb;

      // Every fleet-api instance signs tokens with the same key under the same issuer (the first
      // instance's address), as instances behind one load balancer do.
      // Each port is taken just before its process starts: a free port found long before can be
      // taken meanwhile by any outgoing connection.
      int apiPort = freePort();
      Map<String, String> apiEnv = new HashMap<>(withDb);
      apiEnv.put("FLEETLINE_AUTH_ISSUER", "http://127.0.0.1:" + apiPort);
      apiEnv.put("FLEETLINE_AUTH_SIGNING_KEY", "file:" + signingKeyFile());
      apiEnv.put("FLEETLINE_ADMIN_CLIENT_ID", ADMIN_CLIENT_ID);
      apiEnv.put("FLEETLINE_ADMIN_CLIENT_SECRET", ADMIN_SECRET);
      // Map tiles for the console come from the test's own tile server, not the internet.
      apiEnv.put("FLEETLINE_CONSOLE_TILES_URL", tiles.urlTemplate());

      // fleet-api migrates the schema before routing starts, so the first instance starts alone;
      // ingest needs no schema and starts alongside it.
      apis.add(
          track(
              ServiceProcess.start("api", instanceName("api", 0, shape.apis()), apiPort, apiEnv)));
      for (int i = 0; i < shape.ingests(); i++) {
        ingests.add(startIngest(common, i, shape.ingests()));
      }
      apis.get(0).awaitReady(START_TIMEOUT);
      for (int i = 1; i < shape.apis(); i++) {
        apis.add(
            track(
                ServiceProcess.start(
                    "api", instanceName("api", i, shape.apis()), freePort(), apiEnv)));
      }
      for (int i = 0; i < shape.routings(); i++) {
        routings.add(
            track(
                ServiceProcess.start(
                    "routing", instanceName("routing", i, shape.routings()), freePort(), withDb)));
      }
      for (int i = 0; i < shape.analytics(); i++) {
        // Each instance with a state directory of its own, as each pod has its own volume.
        Map<String, String> env = analyticsSettings(withDb, shape.analytics());
        env.putAll(analyticsOverrides);
        analyticsInstances.add(
            track(
                ServiceProcess.start(
                    "analytics",
                    instanceName("analytics", i, shape.analytics()),
                    freePort(),
                    env)));
      }
      analytics = analyticsInstances.isEmpty() ? null : analyticsInstances.get(0);
      for (ServiceProcess service : services()) {
        service.awaitReady(START_TIMEOUT);
      }
      api = apis.get(0);
      ingest = ingests.get(0).service();
      osmandPort = ingests.get(0).osmandPort();
      teltonikaPort = ingests.get(0).teltonikaPort();
      routing = routings.get(0);
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
   * Starts ingest instance {@code index} with device ports of its own; with several instances each
   * has its own MQTT client id (its session survives a restart), all in one shared subscription.
   */
  private Ingest startIngest(Map<String, String> common, int index, int count) {
    // Device ports on free ones: a local stack or another test may hold the well-known ones.
    int osmand = freePort();
    int teltonika = freePort();
    Map<String, String> env = new HashMap<>(common);
    env.put("FLEETLINE_INGEST_OSMAND_PORT", Integer.toString(osmand));
    env.put("FLEETLINE_INGEST_TELTONIKA_PORT", Integer.toString(teltonika));
    env.put("FLEETLINE_INGEST_COAP_PORT", "0");
    env.put("FLEETLINE_INGEST_COAP_DTLS_PORT", "0");
    // ingest logs in to the broker and keeps its password file current, as the local stack does.
    mqtt.ingestSettings()
        .forEach(
            (property, value) ->
                env.put(
                    property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT), value));
    String name = instanceName("ingest", index, count);
    if (count > 1) {
      env.put("FLEETLINE_INGEST_MQTT_CLIENTID", "fleetline-" + name);
    }
    ServiceProcess service = track(ServiceProcess.start("ingest", name, freePort(), env));
    return new Ingest(service, osmand, teltonika);
  }

  /** {@code service} alone, else {@code service-1}, {@code service-2}, ... */
  private static String instanceName(String service, int index, int count) {
    return count == 1 ? service : service + "-" + (index + 1);
  }

  /** Starts one more routing instance, as scaling out does, and waits until it is ready. */
  ServiceProcess addRouting() {
    ServiceProcess added =
        track(
            ServiceProcess.start(
                "routing", "routing-" + (routings.size() + 1), freePort(), routingEnv));
    routings.add(added);
    return added.awaitReady(START_TIMEOUT);
  }

  /** Every service instance started, in start order. */
  List<ServiceProcess> services() {
    List<ServiceProcess> all = new ArrayList<>(apis);
    ingests.forEach(i -> all.add(i.service()));
    all.addAll(routings);
    all.addAll(analyticsInstances);
    return all;
  }

  /**
   * A platform as a production cluster runs: {@code shape} brokers and service instances, with
   * {@code analyticsOverrides} in every analytics-service instance's environment.
   */
  static Platform scaledOut(Shape shape, Map<String, String> analyticsOverrides) {
    return new Platform(shape, analyticsOverrides);
  }

  /**
   * analytics-service as the local stack runs it, with its Kafka Streams state under this module's
   * target directory (a fresh one per instance and platform, so no earlier run's state is restored)
   * and a short punctuation interval, so that held pings and summaries are written soon after a run
   * ends. Of several instances each keeps a standby copy of another's state, as in production; a
   * lone instance has no other to keep one.
   */
  private static Map<String, String> analyticsSettings(Map<String, String> withDb, int instances) {
    Map<String, String> env = new HashMap<>(withDb);
    Path stateDir = Path.of("target", "analytics-state", UUID.randomUUID().toString());
    env.put("FLEETLINE_ANALYTICS_STATE_DIR", stateDir.toAbsolutePath().toString());
    env.put("FLEETLINE_ANALYTICS_STANDBY_REPLICAS", instances > 1 ? "1" : "0");
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
      Platform platform = new Platform(Shape.SINGLE, Map.of());
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
   * Stops the shared platform, if one runs, for a test that starts a platform of its own: two at
   * once would crowd two cores. A later {@link #shared()} starts a fresh one.
   */
  static synchronized void stopShared() throws Exception {
    if (shared != null) {
      Platform stopping = shared;
      shared = null;
      stopping.close();
    }
  }

  /** Kills the Kafka broker with SIGKILL; its data stays for {@link #restartBroker()}. */
  void killBroker() throws InterruptedException {
    brokerDown = true;
    kafka.broker(0).kill();
  }

  /** Starts the killed broker again on the same port with the same data. */
  void restartBroker() {
    kafka.broker(0).restart();
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
    for (ServiceProcess service : services()) {
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
    return simulatorSettings(fleet, api, ingests.get(0));
  }

  /**
   * The same, with the devices sending to {@code via} and vehicles registered through {@code api}.
   */
  Map<String, String> simulatorSettings(Fleet fleet, ServiceProcess api, Ingest via) {
    return Map.of(
        "FLEETLINE_API_URL", api.baseUrl(),
        "FLEETLINE_INGEST_URL", via.service().baseUrl(),
        "FLEETLINE_OSMAND_URL", via.osmandUrl(),
        "FLEETLINE_TELTONIKA_ADDR", "127.0.0.1:" + via.teltonikaPort(),
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
