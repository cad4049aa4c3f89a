package io.fleetline.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The webhook resources with the default settings (private networks refused): writing, reading and
 * deleting subscriptions, what is validated, the refusal of internal endpoints at creation and at
 * delivery, and that one fleet cannot see or touch another's.
 */
class WebhookSubscriptionTest extends FleetApiTest {

  static final String PUBLIC_URL = "http://93.184.216.34/fleetline";

  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired DeliveryRecorder recorder;
  @Autowired DeliveryLogRetention retention;

  @Test
  void aSubscriptionIsCreatedReadChangedAndDeleted() throws Exception {
    String vehicle = createVehicle(fleetToken, "Subscribed");
    ApiClient.Response created =
        api.post(
            "/api/v1/webhooks",
            fleetToken,
            "{\"url\":\""
                + PUBLIC_URL
                + "\",\"eventTypes\":[\"trip_started\",\"battery_low\"],\"vehicleIds\":[\""
                + vehicle
                + "\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode webhook = created.json();
    String id = webhook.get("id").stringValue();
    assertThat(webhook.get("secret").stringValue()).matches("whsec_[A-Za-z0-9+/]{43}=");
    assertThat(webhook.get("enabled").booleanValue()).isTrue();
    assertThat(webhook.get("vehicleIds").get(0).stringValue()).isEqualTo(vehicle);

    JsonNode read = api.get("/api/v1/webhooks/" + id, fleetToken).json();
    assertThat(read.has("secret")).isFalse();
    assertThat(read.get("url").stringValue()).isEqualTo(PUBLIC_URL);
    assertThat(api.get("/api/v1/webhooks?limit=1000", fleetToken).body()).contains(id);

    ApiClient.Response changed =
        api.patch(
            "/api/v1/webhooks/" + id,
            fleetToken,
            "{\"eventTypes\":[\"trip_ended\"],\"vehicleIds\":[],\"enabled\":false}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("eventTypes").get(0).stringValue()).isEqualTo("trip_ended");
    assertThat(changed.json().get("vehicleIds").isNull()).isTrue();
    assertThat(changed.json().get("enabled").booleanValue()).isFalse();
    assertThat(changed.json().get("disabledReason").stringValue())
        .isEqualTo("disabled by the fleet");
    assertThat(changed.json().get("url").stringValue()).isEqualTo(PUBLIC_URL);

    assertThat(api.delete("/api/v1/webhooks/" + id, fleetToken).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/webhooks/" + id, fleetToken).status()).isEqualTo(404);
  }

  @Test
  void unknownEventTypesAndVehiclesOfAnotherFleetAreRefused() throws Exception {
    ApiClient.Response unknownType =
        api.post(
            "/api/v1/webhooks",
            fleetToken,
            "{\"url\":\"" + PUBLIC_URL + "\",\"eventTypes\":[\"teleported\"]}");
    assertThat(unknownType.status()).isEqualTo(400);
    assertThat(unknownType.json().get("field").stringValue()).isEqualTo("eventTypes");

    String theirs = createVehicle(otherFleetToken, "Not ours");
    ApiClient.Response foreignVehicle =
        api.post(
            "/api/v1/webhooks",
            fleetToken,
            "{\"url\":\""
                + PUBLIC_URL
                + "\",\"eventTypes\":[\"trip_started\"],\"vehicleIds\":[\""
                + theirs
                + "\"]}");
    assertThat(foreignVehicle.status()).isEqualTo(400);
    assertThat(foreignVehicle.json().get("field").stringValue()).isEqualTo("vehicleIds");

    ApiClient.Response noTypes =
        api.post(
            "/api/v1/webhooks", fleetToken, "{\"url\":\"" + PUBLIC_URL + "\",\"eventTypes\":[]}");
    assertThat(noTypes.status()).isEqualTo(400);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
        "http://172.20.1.1/hook",
        "http://192.168.0.10/hook",
        "http://[fd00::10]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/hook",
        "http://224.0.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::]/hook",
        "http://100.64.1.1/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:a9fe:a9fe]/hook",
        "ftp://93.184.216.34/hook",
        "http://user:secret@93.184.216.34/hook"
      })
  void internalEndpointsAreRefusedAtCreation(String url) throws Exception {
    ApiClient.Response refused =
        api.post(
            "/api/v1/webhooks",
            fleetToken,
            "{\"url\":\"" + url + "\",\"eventTypes\":[\"trip_started\"]}");

    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.json().get("field").stringValue()).isEqualTo("url");
  }

  @Test
  void anEndpointChangedToAnInternalAddressIsRefusedAtChangeAndAtDelivery() throws Exception {
    String vehicle = createVehicle(fleetToken, "Rebound");
    String id =
        api.post(
                "/api/v1/webhooks",
                fleetToken,
                "{\"url\":\""
                    + PUBLIC_URL
                    + "\",\"eventTypes\":[\"overspeed\"],\"vehicleIds\":[\""
                    + vehicle
                    + "\"]}")
            .json()
            .get("id")
            .stringValue();
    assertThat(
            api.patch("/api/v1/webhooks/" + id, fleetToken, "{\"url\":\"http://10.1.1.1/\"}")
                .status())
        .isEqualTo(400);

    try (Receiver receiver = new Receiver()) {
      // As if the host had been resolved again to an internal address after the check.
      jdbc.sql("UPDATE webhook_subscriptions SET url = ? WHERE id = ?::uuid")
          .params(receiver.url("/"), id)
          .update();
      await().atMost(Duration.ofSeconds(30)).until(recorder::assigned);
      long eventId = ThreadLocalRandom.current().nextLong(1L << 40);
      VehicleEvent event =
          new VehicleEvent(
              VehicleEvent.CURRENT_VERSION,
              eventId,
              "overspeed",
              UUID.fromString(vehicle),
              UUID.fromString(fleetId),
              Instant.parse("2026-11-26T08:00:00Z"),
              null,
              null,
              Map.of());
      kafka.send(Topics.EVENTS, vehicle, FleetlineJson.write(event)).get();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonNode log = api.get("/api/v1/webhooks/" + id + "/deliveries", fleetToken).json();
                assertThat(log.get("items")).hasSize(1);
                JsonNode delivery = log.get("items").get(0);
                assertThat(delivery.get("eventId").longValue()).isEqualTo(eventId);
                assertThat(delivery.get("attempts").intValue()).isEqualTo(1);
                assertThat(delivery.get("status").stringValue()).isEqualTo("pending");
                assertThat(delivery.get("lastError").stringValue()).contains("loopback");
                assertThat(delivery.get("nextAttemptAt").isNull()).isFalse();
              });
      assertThat(receiver.requests()).isEmpty();

      // A delivery failing beyond the retry period is given up.
      jdbc.sql(
              "UPDATE webhook_deliveries SET due_since = now() - interval '25 hours',"
                  + " next_attempt_at = now() WHERE subscription_id = ?::uuid")
          .param(id)
          .update();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonNode delivery =
                    api.get("/api/v1/webhooks/" + id + "/deliveries", fleetToken)
                        .json()
                        .get("items")
                        .get(0);
                assertThat(delivery.get("status").stringValue()).isEqualTo("failed");
                assertThat(delivery.get("attempts").intValue()).isEqualTo(2);
                assertThat(delivery.get("nextAttemptAt").isNull()).isTrue();
              });
      assertThat(receiver.requests()).isEmpty();
    }
  }

  @Test
  void aFleetMayHaveAtMostFiftyWebhooks() throws Exception {
    String fleet = createFleet("Webhook limit " + uuid());
    String token = clientToken(fleet, "fleet.admin");
    String body = "{\"url\":\"" + PUBLIC_URL + "\",\"eventTypes\":[\"trip_started\"]}";
    for (int i = 0; i < 50; i++) {
      assertThat(api.post("/api/v1/webhooks", token, body).status()).isEqualTo(201);
    }

    ApiClient.Response refused = api.post("/api/v1/webhooks", token, body);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(api.post("/api/v1/webhooks", fleetToken, body).status()).isEqualTo(201);
  }

  @Test
  void anotherFleetCanNeitherSeeNorTouchTheSubscription() throws Exception {
    String id =
        api.post(
                "/api/v1/webhooks",
                fleetToken,
                "{\"url\":\"" + PUBLIC_URL + "\",\"eventTypes\":[\"trip_started\"]}")
            .json()
            .get("id")
            .stringValue();
    String path = "/api/v1/webhooks/" + id;

    assertThat(api.get(path, otherFleetToken).status()).isEqualTo(404);
    assertThat(api.patch(path, otherFleetToken, "{\"enabled\":false}").status()).isEqualTo(404);
    assertThat(api.post(path + "/rotate-secret", otherFleetToken, "").status()).isEqualTo(404);
    assertThat(api.get(path + "/deliveries", otherFleetToken).status()).isEqualTo(404);
    assertThat(api.delete(path, otherFleetToken).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/webhooks?limit=1000", otherFleetToken).body()).doesNotContain(id);
    assertThat(api.get(path, fleetToken).json().get("enabled").booleanValue()).isTrue();
  }

  @Test
  void finishedDeliveriesLeaveTheLogAfterTheRetentionAndPendingOnesStay() throws Exception {
    String id =
        api.post(
                "/api/v1/webhooks",
                fleetToken,
                "{\"url\":\"" + PUBLIC_URL + "\",\"eventTypes\":[\"trip_started\"]}")
            .json()
            .get("id")
            .stringValue();
    String vehicle = createVehicle(fleetToken, "Logged");
    long base = ThreadLocalRandom.current().nextLong(1L << 40);
    String[][] rows = {
      {"delivered", "40 days"},
      {"failed", "40 days"},
      {"pending", "40 days"},
      {"delivered", "1 day"}
    };
    for (int i = 0; i < rows.length; i++) {
      jdbc.sql(
              "INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, vehicle_id,"
                  + " ordering_key, payload, status, next_attempt_at, created_at) VALUES (?::uuid,"
                  + " ?, 'trip_started', ?::uuid, ?::uuid, '{}', ?, now() + interval '1 day',"
                  + " now() - CAST(? AS interval))")
          .params(id, base + i, vehicle, vehicle, rows[i][0], rows[i][1])
          .update();
    }

    assertThat(retention.prune()).isGreaterThanOrEqualTo(2);

    JsonNode log = api.get("/api/v1/webhooks/" + id + "/deliveries", fleetToken).json();
    assertThat(log.get("items"))
        .extracting(d -> d.get("eventId").longValue())
        .containsExactly(base + 3, base + 2);
  }

  @Test
  void webhooksNeedTheFleetAdminScope() throws Exception {
    String readWrite = clientToken(fleetId, "fleet.read fleet.write");
    assertThat(api.get("/api/v1/webhooks", readWrite).status()).isEqualTo(403);
    assertThat(
            api.post(
                    "/api/v1/webhooks",
                    readWrite,
                    "{\"url\":\"" + PUBLIC_URL + "\",\"eventTypes\":[\"trip_started\"]}")
                .status())
        .isEqualTo(403);
  }
}
