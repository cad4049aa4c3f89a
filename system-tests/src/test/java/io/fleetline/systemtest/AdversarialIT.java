package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.ApiClient.Response;
import io.fleetline.common.Measurements;
import io.fleetline.common.PingCodec;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.simulator.Simulation;
import io.fleetline.simulator.truth.GroundTruth;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Attacks against the running platform while an honest fleet drives: poison values, oversized
 * items, a poison record on the ping topic, uploads that declare bodies they never send, slow
 * connections on every HTTP port, MQTT clients that speak for others or for no one, a tracker
 * identity reconnecting over and over, guessed client secrets, stream exhaustion and inputs the
 * database cannot hold. Each attack must get a clear refusal, and afterwards every ping the honest
 * fleet was acknowledged is stored exactly once and every service is healthy.
 */
class AdversarialIT {

  static final Duration STORED_WITHIN = Duration.ofMinutes(3);
  static final Duration SERVED_WITHIN = Duration.ofSeconds(60);

  /**
   * Bounds the honest load run should the test hang: the run is finished once the attacks are done,
   * however long a slow machine takes over them.
   */
  static final Duration LOAD_BOUND = Duration.ofHours(1);

  /** How long honest devices resend what was not acknowledged. */
  static final Duration RETRY_FOR = Duration.ofMinutes(4);

  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    // The attacks come from a second loopback address, so that per-address limits never count
    // the honest clients; fail clearly where it cannot be bound.
    try (Socket probe = new Socket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(RawHttp.ATTACKER_ADDRESS), 0));
    }
    platform = Platform.shared();
  }

  @Test
  void attacksDuringALoadRunAreRefusedAndNothingValidIsLostNorAnyServiceHarmed() throws Exception {
    Platform.Fleet honest = platform.newFleet("Adversarial: honest fleet");
    Attacker attacker = Attacker.register(platform.newFleet("Adversarial: attacker"));

    Path truthDir = Path.of("target", "truth", "adversarial-" + UUID.randomUUID());
    Simulation.Running load =
        Simulation.start(
            List.of(
                ("load --vehicles 8 --protocols "
                        + GroundTruthIT.PROTOCOLS
                        + " --rate 40 --duration "
                        + LOAD_BOUND.toSeconds()
                        + " --interval 5 --batch 10 --concurrency 4 --seed 41 --retry-for "
                        + RETRY_FOR.toSeconds()
                        + " --truth "
                        + truthDir)
                    .split(" ")),
            platform.simulatorSettings(honest));
    try {
      try (RawHttp.Held held = new RawHttp.Held()) {
        uploadsThatDeclareLargeBodiesAndSendNothingAreHeldOpen(held, attacker);
        honestClientsAreServedWhileTheyAreOpen(honest, attacker);
      }
      poisonValuesAreRefusedAsMalformed(attacker);
      anOversizedItemIsRefusedAndTheRestOfItsUploadAccepted(attacker);
      aPoisonRecordOnThePingTopicGoesToTheDeadLetterTopicAndStorageGoesOn(attacker);
      mqttClientsSpeakOnlyForThemselves(attacker);
      aTrackerIdentityReconnectingHoldsOneConnection(attacker);
      guessedClientSecretsAreThrottled(attacker);
      liveStreamsPerClientAreCapped(attacker);
      inputsTheDatabaseCannotHoldAreRefusedWith400(attacker);
      assertThat(load.isDone()).as("the honest load run outlasted the attacks").isFalse();

      // The attacks are over: the honest devices stop once what they sent is acknowledged.
      load.finish();
      GroundTruth truth = load.result(RETRY_FOR.plus(Duration.ofMinutes(5))).truth();
      assertThat(truth.pings())
          .as("every honest ping was acknowledged in the end")
          .isNotEmpty()
          .allMatch(p -> p.acknowledged());
      TruthChecks checks = new TruthChecks(platform, honest, truth);
      assertAll(
          () -> checks.everyAcknowledgedPingIsStoredExactlyOnce(STORED_WITHIN),
          checks::latestPositionsAreTheNewestPings,
          checks::tripsAndEventsAreNotDuplicated);
      for (ServiceProcess service : List.of(platform.api, platform.ingest, platform.routing)) {
        assertThat(service.isAlive()).as("%s survived the attacks", service).isTrue();
        service.awaitReady(SERVED_WITHIN);
      }
    } finally {
      // A run still going after a failure ends, rather than send to the platform for an hour.
      load.cancel();
      platform.restoreAfterFaults(Duration.ofMinutes(3));
    }
  }

  /**
   * Uploads declaring megabytes and sending one byte or none, and token requests declaring a body
   * they never send: on ingest's HTTP port, the OsmAnd port and fleet-api's port, 575 at once, from
   * the attacker's address.
   */
  private static void uploadsThatDeclareLargeBodiesAndSendNothingAreHeldOpen(
      RawHttp.Held held, Attacker attacker) {
    String json = "Content-Type: application/json\r\n";
    String form = "Content-Type: application/x-www-form-urlencoded\r\n";
    held.open(
        platform.ingest.port(),
        75,
        RawHttp.head(
            "POST",
            "/api/v1/pings",
            json + "Authorization: Bearer " + attacker.httpToken + "\r\n",
            4L << 20),
        1);
    held.open(platform.ingest.port(), 100, RawHttp.head("POST", "/api/v1/pings", json, 1 << 20), 0);
    held.open(platform.osmandPort, 200, RawHttp.head("POST", "/", form, 2_000_000), 1);
    held.open(
        platform.api.port(),
        200,
        RawHttp.head(
            "POST",
            "/oauth2/token",
            form + "Authorization: Basic " + basic(attacker.fleet.clientId(), "x") + "\r\n",
            1_000_000),
        0);
  }

  /** From the honest address, every port answers while the attackers' connections are open. */
  private static void honestClientsAreServedWhileTheyAreOpen(
      Platform.Fleet honest, Attacker attacker) {
    ApiClient api = new ApiClient(platform.api.baseUrl());
    await("fleet-api issues tokens and answers while slow connections are open")
        .atMost(SERVED_WITHIN)
        .untilAsserted(
            () -> {
              String token = api.token(honest.clientId(), honest.clientSecret(), "fleet.read");
              assertThat(api.get("/api/v1/vehicles", token).status()).isEqualTo(200);
            });
    await("ingest takes an HTTP ping while slow connections are open")
        .atMost(SERVED_WITHIN)
        .untilAsserted(
            () ->
                assertThat(attacker.sendHttp(attacker.validPing(Instant.now())).status())
                    .isEqualTo(202));
    await("ingest takes an OsmAnd position while slow connections are open")
        .atMost(SERVED_WITHIN)
        .untilAsserted(
            () ->
                assertThat(
                        attacker
                            .osmandGet(
                                "id="
                                    + attacker.osmandId
                                    + "&lat=48.2&lon=11.6&timestamp="
                                    + Instant.now().getEpochSecond())
                            .statusCode())
                    .isEqualTo(200));
  }

  private static void poisonValuesAreRefusedAsMalformed(Attacker attacker) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Response batch =
        attacker.sendHttp(
            "["
                + attacker.validPing(now)
                + ","
                + attacker.pingWithAttributes(now.minusSeconds(1), "{\"note\":\"a\\u0000b\"}")
                + ","
                + attacker.pingWithAttributes(now.minusSeconds(2), "{\"note\":\"\\ud800\"}")
                + "]");
    assertThat(batch.status()).as(batch.body()).isEqualTo(202);
    assertThat(batch.json().get("accepted").intValue()).isEqualTo(1);
    assertThat(reasons(batch)).containsExactly("malformed", "malformed");

    // OsmAnd acknowledges a rejected position (it is kept on the rejected topic), so that the
    // phone does not resend it forever; the answer names the reason.
    Instant osmandAt = now.minusSeconds(30);
    HttpResponse<String> osmand =
        attacker.osmandGet(
            "id="
                + attacker.osmandId
                + "&lat=48.2&lon=11.6&note=a%00b&timestamp="
                + osmandAt.getEpochSecond());
    assertThat(osmand.statusCode()).as("OsmAnd parameter with NUL").isEqualTo(200);
    assertThat(osmand.body()).contains("malformed");
    assertThat(attacker.storedTimes()).doesNotContain(osmandAt);
  }

  private static void anOversizedItemIsRefusedAndTheRestOfItsUploadAccepted(Attacker attacker)
      throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String big = "x".repeat(1_500_000);
    Response batch =
        attacker.sendHttp(
            "["
                + attacker.validPing(now)
                + ","
                + attacker.pingWithAttributes(now.minusSeconds(1), "{\"blob\":\"" + big + "\"}")
                + "]");
    assertThat(batch.status()).as("a 1.5 MB attribute beside a valid ping").isEqualTo(202);
    assertThat(batch.json().get("accepted").intValue()).isEqualTo(1);
    assertThat(reasons(batch)).containsExactly("attributes_too_large");

    StringBuilder locations = new StringBuilder("{\"device_id\":\"" + attacker.osmandId + "\",");
    locations.append("\"location\":[");
    for (int i = 0; i < 5000; i++) {
      locations
          .append(i == 0 ? "" : ",")
          .append("{\"timestamp\":\"")
          .append(now.minusSeconds(5000 - i))
          .append("\",\"coords\":{\"latitude\":48.2,\"longitude\":11.6}}");
    }
    locations.append("]}");
    int status =
        RawHttp.exchange(
            platform.osmandPort,
            RawHttp.request(
                "POST",
                "/",
                "Content-Type: application/json\r\nConnection: close\r\n",
                locations.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(status).as("OsmAnd JSON with 5000 locations").isEqualTo(413);

    byte[] bigForm =
        ("id=" + attacker.osmandId + "&lat=48.2&lon=11.6&note=" + "y".repeat(1_200_000))
            .getBytes(StandardCharsets.US_ASCII);
    int form =
        RawHttp.exchange(
            platform.osmandPort,
            RawHttp.request(
                "POST",
                "/",
                "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n",
                bigForm));
    assertThat(form).as("OsmAnd form with a 1.2 MB parameter").isEqualTo(413);
  }

  /**
   * A record ingest would never publish, straight on {@code fleetline.pings}: it decodes, but the
   * database refuses its NUL. Routing sets it aside and stores the same vehicle's next ping.
   */
  private static void aPoisonRecordOnThePingTopicGoesToTheDeadLetterTopicAndStorageGoesOn(
      Attacker attacker) throws Exception {
    Instant poisonAt = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    Instant validAt = poisonAt.plusSeconds(10);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.send(record(attacker, poisonAt, Map.of("note", "a\u0000b"))).get();
      producer.send(record(attacker, validAt, Map.of())).get();
    }
    await("the poison record is dead-lettered")
        .atMost(STORED_WITHIN)
        .untilAsserted(
            () ->
                assertThat(TopicRecords.deadLettered(platform.kafka.bootstrapServers()))
                    .contains(attacker.vehicleId.toString()));
    await("the vehicle's next ping is stored")
        .atMost(STORED_WITHIN)
        .untilAsserted(() -> assertThat(attacker.storedTimes()).contains(validAt));
    assertThat(attacker.storedTimes()).doesNotContain(poisonAt);
  }

  private static ProducerRecord<String, byte[]> record(
      Attacker attacker, Instant recordedAt, Map<String, Object> attributes) {
    VehiclePing ping =
        new VehiclePing(
            VehiclePing.CURRENT_VERSION,
            attacker.vehicleId,
            UUID.fromString(attacker.fleet.id()),
            UUID.randomUUID(),
            "http",
            recordedAt,
            Instant.now(),
            new Measurements(48.2, 11.6, null, null, null, null, null, null),
            attributes);
    return new ProducerRecord<>(Topics.PINGS, attacker.vehicleId.toString(), PingCodec.write(ping));
  }

  /**
   * An anonymous client cannot connect; a device cannot read any topic nor publish for another
   * device; its own pings still arrive.
   */
  private static void mqttClientsSpeakOnlyForThemselves(Attacker attacker) throws Exception {
    MqttClient anonymous = mqttClient("anonymous");
    assertThatThrownBy(() -> anonymous.connect(options(null, null)))
        .as("an anonymous MQTT client")
        .isInstanceOf(MqttException.class);
    anonymous.close();

    MqttClient spy = mqttClient(attacker.mqttId);
    spy.connect(options(attacker.mqttId, attacker.mqttToken));
    List<String> overheard = new CopyOnWriteArrayList<>();
    try {
      spy.subscribe("#", 1, (topic, message) -> overheard.add(topic));
    } catch (MqttException refused) {
      // a refused subscription is as good as an empty one
    }
    Instant forged = Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.MILLIS);
    Instant own = forged.plusSeconds(10);
    publish(spy, attacker.otherMqttId, attacker.validPing(forged));
    publish(spy, attacker.mqttId, attacker.validPing(own));

    MqttClient victim = mqttClient(attacker.otherMqttId);
    victim.connect(options(attacker.otherMqttId, attacker.otherMqttToken));
    Instant victimOwn = own.plusSeconds(5);
    publish(victim, attacker.otherMqttId, attacker.validPing(victimOwn));
    victim.disconnect();
    victim.close();

    await("the devices' own MQTT pings are stored")
        .atMost(STORED_WITHIN)
        .untilAsserted(() -> assertThat(attacker.storedTimes()).contains(own, victimOwn));
    assertThat(attacker.storedTimes())
        .as("a ping published on another device's topic")
        .doesNotContain(forged);
    assertThat(overheard).as("what a device overheard by subscribing to #").isEmpty();
    spy.disconnect();
    spy.close();
  }

  /** Thirty connections under one IMEI: each new one replaces the one before. */
  private static void aTrackerIdentityReconnectingHoldsOneConnection(Attacker attacker)
      throws Exception {
    List<Socket> connections = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), platform.teltonikaPort);
        socket.setSoTimeout(30_000);
        connections.add(socket);
        OutputStream out = socket.getOutputStream();
        byte[] imei = attacker.imei.getBytes(StandardCharsets.US_ASCII);
        out.write(new byte[] {0, (byte) imei.length});
        out.write(imei);
        out.flush();
        assertThat(socket.getInputStream().read()).as("IMEI handshake answer").isEqualTo(1);
      }
      for (Socket older : connections.subList(0, connections.size() - 1)) {
        InputStream in = older.getInputStream();
        assertThat(in.read()).as("a replaced connection is closed by the server").isEqualTo(-1);
      }
    } finally {
      for (Socket socket : connections) {
        socket.close();
      }
    }
  }

  /**
   * Wrong secrets for a real client id from the attacker's address end in 429; the real client,
   * from its own address, still gets its tokens.
   */
  private static void guessedClientSecretsAreThrottled(Attacker attacker) throws Exception {
    byte[] guess =
        RawHttp.request(
            "POST",
            "/oauth2/token",
            "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic "
                + basic(attacker.fleet.clientId(), "guess")
                + "\r\nConnection: close\r\n",
            "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII));
    List<Integer> answers = new ArrayList<>();
    for (int i = 0; i < 200 && !answers.contains(429); i++) {
      answers.add(RawHttp.exchange(platform.api.port(), guess));
    }
    assertThat(answers).as("answers to guessed secrets").contains(401).endsWith(429);
    assertThat(answers).doesNotContain(200, 500);
    Response real =
        new ApiClient(platform.api.baseUrl())
            .tokenResponse(attacker.fleet.clientId(), attacker.fleet.clientSecret(), "fleet.read");
    assertThat(real.status()).as("the real client from its own address").isEqualTo(200);
  }

  /** One client opening stream after stream gets 429 once at its cap, and memory stays bounded. */
  private static void liveStreamsPerClientAreCapped(Attacker attacker) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<InputStream>>> streams = new ArrayList<>();
    try {
      int refusedAt = -1;
      for (int i = 0; i < 200 && refusedAt < 0; i++) {
        HttpResponse<InputStream> response =
            http.send(
                HttpRequest.newBuilder(URI.create(platform.api.baseUrl() + "/api/v1/live"))
                    .header("Authorization", "Bearer " + attacker.fleet.token())
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        streams.add(CompletableFuture.completedFuture(response));
        if (response.statusCode() == 429) {
          refusedAt = i;
          assertThat(response.headers().firstValue("Content-Type").orElse(""))
              .startsWith("application/problem+json");
        } else {
          assertThat(response.statusCode()).isEqualTo(200);
        }
      }
      assertThat(refusedAt).as("streams admitted before the cap").isPositive();
    } finally {
      for (CompletableFuture<HttpResponse<InputStream>> stream : streams) {
        stream.get().body().close();
      }
    }
  }

  private static void inputsTheDatabaseCannotHoldAreRefusedWith400(Attacker attacker)
      throws Exception {
    ApiClient api = new ApiClient(platform.api.baseUrl());
    String token = attacker.fleet.token();
    Response track =
        api.get(
            "/api/v1/vehicles/"
                + attacker.vehicleId
                + "/track?from=2026-01-01T00:00:00Z&to=%2B999999999-12-31T23:59:59Z",
            token);
    Response textCoordinate =
        api.post(
            "/api/v1/geofences",
            token,
            "{\"name\":\"x\",\"area\":{\"type\":\"Polygon\",\"coordinates\":"
                + "[[[13.0,52.0],[13.1,52.0],[13.1,52.1],[13.0,\"x\"],[13.0,52.0]]]}}");
    Response hugeLimit =
        api.post(
            "/api/v1/geofences",
            token,
            "{\"name\":\"x\",\"speedLimitKmh\":1e39,\"area\":{\"center\":"
                + "{\"latitude\":52.0,\"longitude\":13.0},\"radiusM\":100}}");
    Response nul = api.post("/api/v1/vehicles", token, "{\"name\":\"a\\u0000b\",\"devices\":[]}");
    assertAll(
        () -> assertThat(track.status()).as("track to year 999999999").isEqualTo(400),
        () -> assertThat(textCoordinate.status()).as("a text coordinate").isEqualTo(400),
        () -> assertThat(hugeLimit.status()).as("speedLimitKmh 1e39").isEqualTo(400),
        () -> assertThat(nul.status()).as("a vehicle name with NUL").isEqualTo(400));
  }

  private static MqttClient mqttClient(String clientId) throws MqttException {
    return new MqttClient(
        platform.mqtt.url(), clientId + "-" + UUID.randomUUID(), new MemoryPersistence());
  }

  private static MqttConnectOptions options(String username, String password) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    if (username != null) {
      options.setUserName(username);
      options.setPassword(password.toCharArray());
    }
    return options;
  }

  private static void publish(MqttClient client, String identifier, String payload)
      throws MqttException {
    MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    client.publish("fleetline/devices/" + identifier + "/pings", message);
  }

  private static List<String> reasons(Response batch) {
    List<String> reasons = new ArrayList<>();
    for (JsonNode rejected : batch.json().get("rejected")) {
      reasons.add(rejected.get("reason").stringValue());
    }
    return reasons;
  }

  private static String basic(String clientId, String secret) {
    return Base64.getEncoder()
        .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  /** The attacker's fleet, with one vehicle carrying a device of every protocol. */
  private static final class Attacker {
    final Platform.Fleet fleet;
    final UUID vehicleId;
    final String httpToken;
    final String osmandId;
    final String mqttId;
    final String mqttToken;
    final String otherMqttId;
    final String otherMqttToken;
    final String imei;
    private final ApiClient api = new ApiClient(platform.api.baseUrl());
    private final HttpClient http = HttpClient.newHttpClient();

    private Attacker(Platform.Fleet fleet, JsonNode vehicle) {
      this.fleet = fleet;
      this.vehicleId = UUID.fromString(vehicle.get("id").stringValue());
      this.httpToken = device(vehicle, "http", 0).get("token").stringValue();
      this.osmandId = device(vehicle, "osmand", 0).get("identifier").stringValue();
      this.mqttId = device(vehicle, "mqtt", 0).get("identifier").stringValue();
      this.mqttToken = device(vehicle, "mqtt", 0).get("token").stringValue();
      this.otherMqttId = device(vehicle, "mqtt", 1).get("identifier").stringValue();
      this.otherMqttToken = device(vehicle, "mqtt", 1).get("token").stringValue();
      this.imei = device(vehicle, "teltonika", 0).get("identifier").stringValue();
    }

    /** Registers the vehicle and waits until ingest knows its devices. */
    static Attacker register(Platform.Fleet fleet) throws Exception {
      String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
      String imei =
          Long.toString(100_000_000_000_000L + ThreadLocalRandom.current().nextLong(1L << 49));
      Response created =
          new ApiClient(platform.api.baseUrl())
              .post(
                  "/api/v1/vehicles",
                  fleet.token(),
                  "{\"name\":\"Attacker\",\"devices\":["
                      + "{\"protocol\":\"http\",\"identifier\":\"atk-http-"
                      + suffix
                      + "\"},"
                      + "{\"protocol\":\"osmand\",\"identifier\":\"atk-osmand-"
                      + suffix
                      + "\"},"
                      + "{\"protocol\":\"mqtt\",\"identifier\":\"atk-mqtt-"
                      + suffix
                      + "\"},"
                      + "{\"protocol\":\"mqtt\",\"identifier\":\"atk-other-"
                      + suffix
                      + "\"},"
                      + "{\"protocol\":\"teltonika\",\"identifier\":\""
                      + imei
                      + "\"}]}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      Attacker attacker = new Attacker(fleet, created.json());
      await("ingest knows the attacker's devices")
          .atMost(SERVED_WITHIN)
          .until(
              () ->
                  attacker.sendHttp(attacker.validPing(Instant.now().minusSeconds(3600))).status()
                      == 202);
      return attacker;
    }

    private static JsonNode device(JsonNode vehicle, String protocol, int index) {
      List<JsonNode> matching = new ArrayList<>();
      for (JsonNode device : vehicle.get("devices")) {
        if (device.get("protocol").stringValue().equals(protocol)) {
          matching.add(device);
        }
      }
      return matching.get(index);
    }

    String validPing(Instant recordedAt) {
      return pingWithAttributes(recordedAt, "{}");
    }

    String pingWithAttributes(Instant recordedAt, String attributes) {
      return "{\"recordedAt\":\""
          + recordedAt.truncatedTo(ChronoUnit.MILLIS)
          + "\",\"latitude\":48.2,\"longitude\":11.6,\"attributes\":"
          + attributes
          + "}";
    }

    Response sendHttp(String body) throws Exception {
      return new ApiClient(platform.ingest.baseUrl()).post("/api/v1/pings", httpToken, body);
    }

    HttpResponse<String> osmandGet(String query) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(platform.osmandUrl() + "/?" + query)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** Event times of the vehicle's stored history, through the public API. */
    List<Instant> storedTimes() throws Exception {
      Response track =
          api.get(
              "/api/v1/vehicles/"
                  + vehicleId
                  + "/track?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&limit=1000",
              fleet.token());
      assertThat(track.status()).as(track.body()).isEqualTo(200);
      List<Instant> times = new ArrayList<>();
      for (JsonNode position : track.json().get("items")) {
        times.add(Instant.parse(position.get("recordedAt").stringValue()));
      }
      return times;
    }
  }
}
