package io.fleetline.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Webhook deliveries end to end: events on the real Kafka topic, deliveries recorded in the real
 * PostgreSQL database and sent to a real HTTP endpoint started by the test (loopback, so private
 * networks are allowed here), with retries shortened to fractions of seconds. The disable window is
 * an hour, far beyond any run, so no retry test depends on how fast attempts follow each other; the
 * test of disabling moves its webhook's failing start back past the window instead. Signatures are
 * checked by an independent implementation of the Standard Webhooks scheme.
 */
@TestPropertySource(
    properties = {
      "fleetline.webhooks.allow-private-networks=true",
      "fleetline.webhooks.initial-backoff=100ms",
      "fleetline.webhooks.max-backoff=400ms",
      "fleetline.webhooks.poll-interval=100ms",
      "fleetline.webhooks.connect-timeout=1s",
      "fleetline.webhooks.response-timeout=1s",
      "fleetline.webhooks.dns-timeout=1s",
      "fleetline.webhooks.disable-after=1h",
      "fleetline.webhooks.batch-size=10",
      "fleetline.webhooks.concurrency=4"
    })
class WebhookDeliveryTest extends FleetApiTest {

  static final String ENCRYPTION_KEY = randomKey();

  @DynamicPropertySource
  static void encryptionKey(DynamicPropertyRegistry registry) {
    registry.add("fleetline.webhooks.secret-encryption-key", () -> ENCRYPTION_KEY);
  }

  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired DeliveryRecorder recorder;
  @Autowired DeliveryDispatcher dispatcher;

  final AtomicLong eventIds = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));
  final List<Receiver> receivers = new ArrayList<>();

  @BeforeAll
  void recorderReadsTheTopic() {
    await().atMost(Duration.ofSeconds(30)).until(recorder::assigned);
  }

  @AfterAll
  void closeReceivers() {
    receivers.forEach(Receiver::close);
  }

  @Test
  void deliveriesCarryStandardWebhooksHeadersAndAVerifiableSignature() throws Exception {
    Receiver receiver = receiver();
    String vehicle = createVehicle(fleetToken, "Signed");
    JsonNode webhook = subscribe(fleetToken, receiver.url("/hooks?source=fleetline"), vehicle);
    String secret = webhook.get("secret").stringValue();

    long eventId = publish(fleetId, vehicle, "trip_started");

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests().size() == 1);
    Receiver.Request request = receiver.requests().get(0);
    assertThat(request.id()).isEqualTo("evt_" + eventId);
    assertThat(Long.parseLong(request.timestamp()))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(300L));
    assertThat(request.signature()).startsWith("v1,");
    assertThat(verifiedWith(secret, request)).isTrue();
    assertThat(verifiedWith("whsec_" + randomKey(), request)).isFalse();
    JsonNode body = FleetlineJson.mapper().readTree(request.body());
    assertThat(body.get("type").stringValue()).isEqualTo("trip_started");
    assertThat(Instant.parse(body.get("timestamp").stringValue()))
        .isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
    assertThat(body.get("data").get("id").longValue()).isEqualTo(eventId);
    assertThat(body.get("data").get("vehicleId").stringValue()).isEqualTo(vehicle);
    assertThat(body.get("data").has("fleetId")).isFalse();
    // Shown once: the subscription as read back has no secret, and the stored one is encrypted.
    String id = webhook.get("id").stringValue();
    assertThat(api.get("/api/v1/webhooks/" + id, fleetToken).json().has("secret")).isFalse();
    String stored =
        jdbc.sql("SELECT secret FROM webhook_subscriptions WHERE id = ?::uuid")
            .param(id)
            .query(String.class)
            .single();
    assertThat(stored).startsWith("aesgcm:").doesNotContain(secret.substring("whsec_".length()));
  }

  @Test
  void aFailedAndATimedOutAttemptAreRetriedUntilTheEndpointAccepts() throws Exception {
    Receiver receiver = receiver();
    AtomicInteger calls = new AtomicInteger();
    receiver.answer(
        r ->
            switch (calls.incrementAndGet()) {
              case 1 -> 500;
              case 2 -> -1; // no answer: the response timeout ends the attempt
              default -> 204;
            });
    String vehicle = createVehicle(fleetToken, "Retried");
    String webhook = subscribe(fleetToken, receiver.url("/"), vehicle).get("id").stringValue();

    long eventId = publish(fleetId, vehicle, "overspeed");

    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
    assertThat(receiver.requests()).extracting(Receiver.Request::id).containsOnly("evt_" + eventId);
    assertThat(receiver.requests()).extracting(Receiver.Request::answered).startsWith(500, -1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode log = deliveries(webhook).get(0);
              assertThat(log.get("status").stringValue()).isEqualTo("delivered");
              assertThat(log.get("attempts").intValue()).isEqualTo(3);
              assertThat(log.get("lastStatusCode").intValue()).isEqualTo(204);
              assertThat(log.get("nextAttemptAt").isNull()).isTrue();
            });
  }

  @Test
  void eachVehiclesEventsArriveInOrderThoughADeliveryInTheMiddleFails() throws Exception {
    Receiver receiver = receiver();
    String first = createVehicle(fleetToken, "Ordered A");
    String second = createVehicle(fleetToken, "Ordered B");
    List<Long> firstEvents = new ArrayList<>();
    List<Long> secondEvents = new ArrayList<>();
    subscribe(fleetToken, receiver.url("/"), first, second);
    AtomicLong failing = new AtomicLong(-1);
    AtomicInteger failures = new AtomicInteger();
    receiver.answer(
        r -> r.id().equals("evt_" + failing.get()) && failures.incrementAndGet() <= 3 ? 500 : 200);

    for (int i = 0; i < 5; i++) {
      if (i == 2) {
        failing.set(eventIds.get() + 1);
      }
      firstEvents.add(publish(fleetId, first, "geofence_entered"));
      secondEvents.add(publish(fleetId, second, "geofence_entered"));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 10);
    assertThat(failures.get()).isGreaterThanOrEqualTo(3);
    assertThat(requestedOrder(receiver, firstEvents)).isSorted();
    assertThat(acceptedOrder(receiver, firstEvents)).containsExactlyElementsOf(firstEvents);
    assertThat(acceptedOrder(receiver, secondEvents)).containsExactlyElementsOf(secondEvents);
  }

  @Test
  void nothingIsLostAcrossARestartAndRepeatsAreOnlyRedeliveriesOfTheSameId() throws Exception {
    Receiver receiver = receiver();
    String vehicle = createVehicle(fleetToken, "Restarted");
    subscribe(fleetToken, receiver.url("/"), vehicle);
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      expected.add("evt_" + publish(fleetId, vehicle, "stop"));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() >= 3);

    dispatcher.stop();
    recorder.stop();
    for (int i = 0; i < 10; i++) {
      expected.add("evt_" + publish(fleetId, vehicle, "stop"));
    }
    recorder.start();
    dispatcher.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 20);
    assertThat(receiver.accepted()).isEqualTo(expected);
    assertThat(receiver.requests()).extracting(Receiver.Request::id).allMatch(expected::contains);
  }

  @Test
  void anEndpointFailingForTheWindowIsDisabledAndTheFleetToldInTheFeed() throws Exception {
    Receiver receiver = receiver();
    String secretPath = "/hooks/s3cr3t-token";
    receiver.answer(r -> 503);
    String vehicle = createVehicle(fleetToken, "Unreachable");
    String webhook =
        subscribe(fleetToken, receiver.url(secretPath), vehicle).get("id").stringValue();
    Receiver watcher = receiver();
    ApiClient.Response watching =
        api.post(
            "/api/v1/webhooks",
            fleetToken,
            "{\"url\":\""
                + watcher.url("/")
                + "\",\"eventTypes\":[\"webhook_disabled\"],\"vehicleIds\":[\""
                + createVehicle(fleetToken, "Watching")
                + "\"]}");
    assertThat(watching.status()).as(watching.body()).isEqualTo(201);

    long eventId = publish(fleetId, vehicle, "trip_ended");

    // Failing since its first attempt; moved back by the window, as if it had failed for an hour.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql(
                        "SELECT failing_since IS NOT NULL FROM webhook_subscriptions"
                            + " WHERE id = ?::uuid")
                    .param(webhook)
                    .query(Boolean.class)
                    .single());
    jdbc.sql(
            "UPDATE webhook_subscriptions SET failing_since = failing_since - interval '1 hour'"
                + " WHERE id = ?::uuid")
        .param(webhook)
        .update();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !api.get("/api/v1/webhooks/" + webhook, fleetToken)
                    .json()
                    .get("enabled")
                    .booleanValue());
    JsonNode disabled = api.get("/api/v1/webhooks/" + webhook, fleetToken).json();
    assertThat(disabled.get("disabledReason").stringValue()).contains("503");
    JsonNode feed = api.get("/api/v1/events?types=webhook_disabled", readOnlyToken).json();
    List<JsonNode> notices = new ArrayList<>();
    feed.get("items")
        .forEach(
            e -> {
              if (e.get("details").get("webhookId").stringValue().equals(webhook)) {
                notices.add(e);
              }
            });
    assertThat(notices).hasSize(1);
    assertThat(notices.get(0).get("vehicleId").isNull()).isTrue();
    // Readers of the feed learn which webhook, never its URL (often a secret) nor its last error.
    assertThat(notices.get(0).get("details").propertyNames())
        .containsExactlyInAnyOrder("webhookId", "failingSince");
    assertThat(notices.get(0).toString()).doesNotContain(secretPath).doesNotContain("answered");
    assertThat(api.get("/api/v1/events?types=webhook_disabled", otherFleetToken).body())
        .doesNotContain(webhook);
    int attemptsWhileDisabled = receiver.requests().size();
    // Published on the events topic too: the fleet's other webhooks hear of it.
    await().atMost(Duration.ofSeconds(20)).until(() -> watcher.accepted().size() == 1);
    JsonNode told = FleetlineJson.mapper().readTree(watcher.requests().get(0).body());
    assertThat(told.get("type").stringValue()).isEqualTo("webhook_disabled");
    assertThat(told.get("data").get("details").get("webhookId").stringValue()).isEqualTo(webhook);
    assertThat(watcher.requests().get(0).body())
        .doesNotContain(secretPath)
        .doesNotContain("answered");
    assertThat(told.get("data").get("vehicleId").isNull()).isTrue();
    assertThat(watcher.requests().get(0).id())
        .isEqualTo("evt_" + notices.get(0).get("id").longValue());

    // Enabled again, the pending delivery goes out as soon as the endpoint accepts.
    receiver.answer(r -> 200);
    assertThat(api.patch("/api/v1/webhooks/" + webhook, fleetToken, "{\"enabled\":true}").status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 1);
    assertThat(receiver.accepted()).containsExactly("evt_" + eventId);
    assertThat(receiver.requests().size()).isGreaterThan(attemptsWhileDisabled);
  }

  @Test
  void aRotatedSecretSignsAlongsideThePreviousOneUntilTheOverlapEnds() throws Exception {
    Receiver receiver = receiver();
    String vehicle = createVehicle(fleetToken, "Rotated");
    JsonNode created = subscribe(fleetToken, receiver.url("/"), vehicle);
    String webhook = created.get("id").stringValue();
    String oldSecret = created.get("secret").stringValue();

    ApiClient.Response rotated =
        api.post("/api/v1/webhooks/" + webhook + "/rotate-secret", fleetToken, "");
    assertThat(rotated.status()).isEqualTo(200);
    String newSecret = rotated.json().get("secret").stringValue();
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
    assertThat(rotated.json().get("previousSecretValidUntil").isNull()).isFalse();
    publish(fleetId, vehicle, "trip_started");
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests().size() == 1);
    Receiver.Request during = receiver.requests().get(0);
    assertThat(during.signature().split(" ")).hasSize(2);
    assertThat(verifiedWith(oldSecret, during)).isTrue();
    assertThat(verifiedWith(newSecret, during)).isTrue();

    jdbc.sql(
            "UPDATE webhook_subscriptions SET previous_secret_until = now() - interval '1 second'"
                + " WHERE id = ?::uuid")
        .param(webhook)
        .update();
    publish(fleetId, vehicle, "trip_ended");
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests().size() == 2);
    Receiver.Request after = receiver.requests().get(1);
    assertThat(after.signature().split(" ")).hasSize(1);
    assertThat(verifiedWith(newSecret, after)).isTrue();
    assertThat(verifiedWith(oldSecret, after)).isFalse();
  }

  @Test
  void aReplayedDeliveryIsSentAgainWithItsWebhookId() throws Exception {
    Receiver receiver = receiver();
    String vehicle = createVehicle(fleetToken, "Replayed");
    String webhook = subscribe(fleetToken, receiver.url("/"), vehicle).get("id").stringValue();
    long eventId = publish(fleetId, vehicle, "overspeed");
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests().size() == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> deliveries(webhook).get(0).get("status").stringValue().equals("delivered"));
    long delivery = deliveries(webhook).get(0).get("id").longValue();

    ApiClient.Response replay =
        api.post(
            "/api/v1/webhooks/" + webhook + "/deliveries/" + delivery + "/replay", fleetToken, "");
    assertThat(replay.status()).isEqualTo(202);
    assertThat(
            api.post(
                    "/api/v1/webhooks/" + webhook + "/deliveries/" + delivery + "/replay",
                    otherFleetToken,
                    "")
                .status())
        .isEqualTo(404);

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests().size() == 2);
    assertThat(receiver.requests())
        .extracting(Receiver.Request::id)
        .containsExactly("evt_" + eventId, "evt_" + eventId);
  }

  @Test
  void onlyTheFleetsOwnEventsOfTheChosenTypesAndVehiclesAreDelivered() throws Exception {
    Receiver receiver = receiver();
    String fleet = createFleet("Webhook isolation " + uuid());
    String token = clientToken(fleet, "fleet.read fleet.write fleet.admin");
    String watched = createVehicle(token, "Watched");
    String unwatched = createVehicle(token, "Unwatched");
    String webhook = subscribe(token, receiver.url("/"), watched).get("id").stringValue();
    String otherVehicle = createVehicle(otherFleetToken, "Theirs");

    // Same partition, so once the last is delivered the earlier ones have all been considered.
    publish(otherFleetId, otherVehicle, "trip_started");
    publish(fleet, unwatched, "trip_started");
    publish(fleet, watched, "harsh_braking"); // a type the subscription did not ask for
    long wanted = publish(fleet, watched, "trip_started");

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 1);
    assertThat(receiver.accepted()).containsExactly("evt_" + wanted);
    JsonNode log = api.get("/api/v1/webhooks/" + webhook + "/deliveries", token).json();
    assertThat(log.get("items")).hasSize(1);
    assertThat(log.get("items").get(0).get("eventId").longValue()).isEqualTo(wanted);
  }

  @Test
  void aRetractionGoesOnlyToSubscriptionsThatListRetractions() throws Exception {
    Receiver ofTypes = receiver();
    Receiver ofOverspeedAndRetractions = receiver();
    Receiver ofRetractions = receiver();
    String fleet = createFleet("Webhook retractions " + uuid());
    String token = clientToken(fleet, "fleet.read fleet.write fleet.admin");
    String vehicle = createVehicle(token, "Retracted");
    subscribe(token, ofTypes.url("/"), vehicle);
    subscribeTo(token, ofOverspeedAndRetractions.url("/"), "overspeed", "event_retracted");
    subscribeTo(token, ofRetractions.url("/"), "event_retracted");

    // Same vehicle, same partition: once the last is delivered, the earlier were considered.
    long ofOverspeed = publishRetraction(fleet, vehicle, "overspeed");
    long ofHarshBraking = publishRetraction(fleet, vehicle, "harsh_braking");
    long overspeed = publish(fleet, vehicle, "overspeed");
    long tripStarted = publish(fleet, vehicle, "trip_started");

    await().atMost(Duration.ofSeconds(20)).until(() -> ofTypes.accepted().size() == 2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ofOverspeedAndRetractions.accepted().size() == 2);
    await().atMost(Duration.ofSeconds(20)).until(() -> ofRetractions.accepted().size() == 2);
    assertThat(ofTypes.accepted())
        .containsExactlyInAnyOrder("evt_" + overspeed, "evt_" + tripStarted);
    assertThat(ofOverspeedAndRetractions.accepted())
        .containsExactlyInAnyOrder("evt_" + ofOverspeed, "evt_" + overspeed);
    assertThat(ofRetractions.accepted())
        .containsExactlyInAnyOrder("evt_" + ofOverspeed, "evt_" + ofHarshBraking);
  }

  @Test
  void aRedirectIsAFailureAndIsNotFollowed() throws Exception {
    Receiver target = receiver();
    Receiver redirecting = receiver();
    redirecting.answer(r -> 307);
    redirecting.redirectTo(target.url("/elsewhere"));
    String vehicle = createVehicle(fleetToken, "Redirected");
    String webhook = subscribe(fleetToken, redirecting.url("/"), vehicle).get("id").stringValue();

    publish(fleetId, vehicle, "trip_started");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode log = deliveries(webhook).get(0);
              assertThat(log.get("attempts").intValue()).isGreaterThanOrEqualTo(2);
              assertThat(log.get("status").stringValue()).isEqualTo("pending");
              assertThat(log.get("lastStatusCode").intValue()).isEqualTo(307);
            });
    assertThat(target.requests()).isEmpty();
  }

  @Test
  void anEndlessAnswerIsCutOffAndCountsAsAFailure() throws Exception {
    try (ServerSocket endless = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread talker =
          new Thread(
              () -> {
                while (!endless.isClosed()) {
                  try (Socket client = endless.accept()) {
                    OutputStream out = client.getOutputStream();
                    byte[] chunk = new byte[4096];
                    Arrays.fill(chunk, (byte) 'A');
                    for (int i = 0; i < 1024; i++) {
                      out.write(chunk); // 4 MiB of a status line that never ends
                    }
                  } catch (IOException e) {
                    // the dispatcher hung up, as it should
                  }
                }
              });
      talker.setDaemon(true);
      talker.start();
      String vehicle = createVehicle(fleetToken, "Flooded");
      String webhook =
          subscribe(fleetToken, "http://127.0.0.1:" + endless.getLocalPort() + "/", vehicle)
              .get("id")
              .stringValue();

      publish(fleetId, vehicle, "trip_started");

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                JsonNode log = deliveries(webhook).get(0);
                assertThat(log.get("status").stringValue()).isEqualTo("pending");
                assertThat(log.get("lastError").stringValue()).contains("status line is too long");
              });
    }
  }

  private Receiver receiver() throws Exception {
    Receiver receiver = new Receiver();
    receivers.add(receiver);
    return receiver;
  }

  private JsonNode subscribe(String token, String url, String... vehicles) throws Exception {
    String body =
        "{\"url\":\""
            + url
            + "\",\"eventTypes\":[\"trip_started\",\"trip_ended\",\"overspeed\",\"stop\","
            + "\"geofence_entered\"],\"vehicleIds\":[\""
            + String.join("\",\"", vehicles)
            + "\"]}";
    ApiClient.Response created = api.post("/api/v1/webhooks", token, body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  private void subscribeTo(String token, String url, String... types) throws Exception {
    ApiClient.Response created =
        api.post(
            "/api/v1/webhooks",
            token,
            "{\"url\":\"" + url + "\",\"eventTypes\":[\"" + String.join("\",\"", types) + "\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  private long publish(String fleet, String vehicle, String type) throws Exception {
    long id = eventIds.incrementAndGet();
    VehicleEvent event =
        new VehicleEvent(
            VehicleEvent.CURRENT_VERSION,
            id,
            type,
            UUID.fromString(vehicle),
            UUID.fromString(fleet),
            Instant.parse("2026-11-26T08:00:00Z"),
            52.5,
            13.4,
            Map.of("speedKmh", 88));
    kafka.send(Topics.EVENTS, vehicle, FleetlineJson.write(event)).get();
    return id;
  }

  /** An {@code event_retracted} of an event of the given type, as routing publishes it. */
  private long publishRetraction(String fleet, String vehicle, String retractedType)
      throws Exception {
    long id = eventIds.incrementAndGet();
    VehicleEvent event =
        new VehicleEvent(
            VehicleEvent.CURRENT_VERSION,
            id,
            VehicleEvent.EVENT_RETRACTED,
            UUID.fromString(vehicle),
            UUID.fromString(fleet),
            Instant.parse("2026-11-26T08:00:00Z"),
            52.5,
            13.4,
            Map.of("retractedId", id - 1000, "retractedType", retractedType));
    kafka.send(Topics.EVENTS, vehicle, FleetlineJson.write(event)).get();
    return id;
  }

  private JsonNode deliveries(String webhook) throws Exception {
    ApiClient.Response log = api.get("/api/v1/webhooks/" + webhook + "/deliveries", fleetToken);
    assertThat(log.status()).isEqualTo(200);
    return log.json().get("items");
  }

  /** The event ids of the requests for the given events, in the order they came. */
  private static List<Long> requestedOrder(Receiver receiver, List<Long> events) {
    return receiver.requests().stream()
        .map(r -> Long.parseLong(r.id().substring("evt_".length())))
        .filter(events::contains)
        .toList();
  }

  /** The event ids the endpoint accepted, in the order it accepted them. */
  private static List<Long> acceptedOrder(Receiver receiver, List<Long> events) {
    return receiver.requests().stream()
        .filter(r -> r.answered() == 200)
        .map(r -> Long.parseLong(r.id().substring("evt_".length())))
        .filter(events::contains)
        .distinct()
        .toList();
  }

  /**
   * The Standard Webhooks check, written from the specification: HMAC-SHA256 keyed with the base64
   * part of the {@code whsec_} secret over {@code id.timestamp.body}, base64, compared with each
   * space-separated {@code v1,} signature of the header.
   */
  static boolean verifiedWith(String secret, Receiver.Request request) throws Exception {
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] signed =
        mac.doFinal(
            (request.id() + "." + request.timestamp() + "." + request.body())
                .getBytes(StandardCharsets.UTF_8));
    String expected = "v1," + Base64.getEncoder().encodeToString(signed);
    return Arrays.asList(request.signature().split(" ")).contains(expected);
  }

  static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
