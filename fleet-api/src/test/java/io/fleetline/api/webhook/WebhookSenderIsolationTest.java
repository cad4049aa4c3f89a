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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A webhook whose endpoint holds its attempts open does not hold up anyone else's: the dispatcher
 * claims again as soon as a sender is free, and one webhook never has more than its share of the
 * senders. The endpoint here would hold an attempt for the whole response timeout (30 s), far
 * longer than the other webhook is given to receive its events.
 */
@TestPropertySource(
    properties = {
      "fleetline.webhooks.allow-private-networks=true",
      "fleetline.webhooks.initial-backoff=100ms",
      "fleetline.webhooks.max-backoff=400ms",
      "fleetline.webhooks.poll-interval=100ms",
      "fleetline.webhooks.connect-timeout=1s",
      "fleetline.webhooks.response-timeout=30s",
      "fleetline.webhooks.dns-timeout=1s",
      "fleetline.webhooks.batch-size=10",
      "fleetline.webhooks.concurrency=3",
      "fleetline.webhooks.max-in-flight-per-webhook=1"
    })
class WebhookSenderIsolationTest extends FleetApiTest {

  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired DeliveryRecorder recorder;

  final AtomicLong eventIds = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));
  Receiver hanging;
  Receiver healthy;

  @BeforeAll
  void endpoints() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(recorder::assigned);
    hanging = new Receiver();
    hanging.answer(r -> -1); // holds every attempt open until the test ends
    healthy = new Receiver();
  }

  @AfterAll
  void closeEndpoints() {
    hanging.close();
    healthy.close();
  }

  @Test
  void aHangingEndpointHoldsOneSenderWhileAnotherWebhooksEventsKeepFlowing() throws Exception {
    String first = createVehicle(fleetToken, "Held 1");
    String second = createVehicle(fleetToken, "Held 2");
    String held = subscribe(hanging.url("/"), first, second);
    String flowing = createVehicle(fleetToken, "Flowing");
    subscribe(healthy.url("/"), flowing);

    publish(first, "trip_started");
    publish(second, "trip_started");
    await().atMost(Duration.ofSeconds(20)).until(() -> hanging.requests().size() == 1);
    long one = publish(flowing, "trip_started");
    long two = publish(flowing, "trip_ended");

    // Each of its events needs a claim of its own (the second waits for the first), both while
    // the hanging endpoint still holds its attempt.
    await().atMost(Duration.ofSeconds(20)).until(() -> healthy.accepted().size() == 2);
    assertThat(healthy.requests())
        .extracting(Receiver.Request::id)
        .containsExactly("evt_" + one, "evt_" + two);
    assertThat(hanging.requests()).hasSize(1);
    JsonNode log = deliveries(held);
    assertThat(log).hasSize(2);
    log.forEach(
        delivery -> {
          assertThat(delivery.get("status").stringValue()).isEqualTo("pending");
          JsonNode error = delivery.get("lastError");
          assertThat(error == null || error.isNull()).as("still in its first attempt").isTrue();
        });
  }

  @Test
  void enablingOrReplayingLeavesADeliveryBeingSentUnderItsLease() throws Exception {
    try (Receiver holding = new Receiver()) {
      holding.answer(r -> -1);
      String vehicle = createVehicle(fleetToken, "Being sent");
      String webhook = subscribe(holding.url("/"), vehicle);
      publish(vehicle, "trip_started");
      await().atMost(Duration.ofSeconds(20)).until(() -> holding.requests().size() == 1);
      JsonNode sending = deliveries(webhook).get(0);
      String leasedUntil = sending.get("nextAttemptAt").stringValue();
      // The lease (DNS 1 s + connect 1 s + response 30 s + 30 s) lies far ahead of now.
      assertThat(Instant.parse(leasedUntil)).isAfter(Instant.now().plusSeconds(30));

      ApiClient.Response enabled =
          api.patch("/api/v1/webhooks/" + webhook, fleetToken, "{\"enabled\":true}");
      assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
      assertThat(deliveries(webhook).get(0).get("nextAttemptAt").stringValue())
          .isEqualTo(leasedUntil);

      ApiClient.Response replayed =
          api.post(
              "/api/v1/webhooks/"
                  + webhook
                  + "/deliveries/"
                  + sending.get("id").asLong()
                  + "/replay",
              fleetToken,
              "");
      assertThat(replayed.status()).as(replayed.body()).isEqualTo(202);
      assertThat(replayed.json().get("nextAttemptAt").stringValue()).isEqualTo(leasedUntil);
      assertThat(holding.requests()).hasSize(1);
    }
  }

  private String subscribe(String url, String... vehicles) throws Exception {
    String body =
        "{\"url\":\""
            + url
            + "\",\"eventTypes\":[\"trip_started\",\"trip_ended\"],\"vehicleIds\":[\""
            + String.join("\",\"", vehicles)
            + "\"]}";
    ApiClient.Response created = api.post("/api/v1/webhooks", fleetToken, body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").stringValue();
  }

  private long publish(String vehicle, String type) throws Exception {
    long id = eventIds.incrementAndGet();
    VehicleEvent event =
        new VehicleEvent(
            VehicleEvent.CURRENT_VERSION,
            id,
            type,
            UUID.fromString(vehicle),
            UUID.fromString(fleetId),
            Instant.parse("2026-11-26T08:00:00Z"),
            52.5,
            13.4,
            Map.of());
    kafka.send(Topics.EVENTS, vehicle, FleetlineJson.write(event)).get();
    return id;
  }

  private JsonNode deliveries(String webhook) throws Exception {
    ApiClient.Response log = api.get("/api/v1/webhooks/" + webhook + "/deliveries", fleetToken);
    assertThat(log.status()).isEqualTo(200);
    return log.json().get("items");
  }
}
