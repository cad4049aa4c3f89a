package io.fleetline.api.webhook;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.VehicleEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells a fleet that one of its webhooks was disabled: a {@code webhook_disabled} event in its
 * feed, which concerns no vehicle ({@code vehicleId} null), published on the events topic (key =
 * fleet id) once stored, so that the live stream and the fleet's other webhooks carry it too. The
 * feed row counts as published when stored: routing's republishing sweep, which keys by vehicle,
 * must not take it; if this publication fails, the feed still has the event.
 */
@Component
class WebhookDisabledNotices {

  private static final Logger log = LoggerFactory.getLogger(WebhookDisabledNotices.class);

  private final JdbcClient jdbc;
  private final KafkaTemplate<String, byte[]> kafka;
  private final WebhookProperties properties;

  WebhookDisabledNotices(
      JdbcClient jdbc, KafkaTemplate<String, byte[]> kafka, WebhookProperties properties) {
    this.jdbc = jdbc;
    this.kafka = kafka;
    this.properties = properties;
  }

  /** A subscription that was disabled because its endpoint kept failing. */
  record Disabled(UUID webhookId, UUID fleetId, Instant failingSince) {}

  /** Stores the event in the current transaction and publishes it after the commit. */
  void record(Disabled disabled) {
    Map<String, Object> details = new LinkedHashMap<>();
    // Every reader of the fleet's feed, live stream and webhooks sees these details: an endpoint's
    // URL often carries a secret and its last error may quote it, so only the webhook's id and
    // since when it failed are told; its owner reads the rest from the webhook itself.
    details.put("webhookId", disabled.webhookId().toString());
    details.put("failingSince", disabled.failingSince().toString());
    Stored stored =
        jdbc.sql(
                """
                INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at,
                                            details, published_at)
                VALUES (:key, :fleet, NULL, :type, now(), CAST(:details AS jsonb), now())
                ON CONFLICT (event_key) DO NOTHING
                RETURNING id, occurred_at""")
            .param(
                "key",
                "webhook_disabled:"
                    + disabled.webhookId()
                    + ":"
                    + disabled.failingSince().toEpochMilli())
            .param("fleet", disabled.fleetId())
            .param("type", WebhookEventTypes.WEBHOOK_DISABLED)
            .param("details", new String(FleetlineJson.write(details), StandardCharsets.UTF_8))
            .query(
                (rs, row) ->
                    new Stored(
                        rs.getLong("id"),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant()))
            .optional()
            .orElse(null);
    if (stored == null) {
      return;
    }
    VehicleEvent event =
        new VehicleEvent(
            VehicleEvent.CURRENT_VERSION,
            stored.id(),
            WebhookEventTypes.WEBHOOK_DISABLED,
            null,
            disabled.fleetId(),
            stored.occurredAt(),
            null,
            null,
            details);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            publish(event);
          }
        });
  }

  private record Stored(long id, Instant occurredAt) {}

  private void publish(VehicleEvent event) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            properties.eventsTopic(), event.fleetId().toString(), FleetlineJson.write(event));
    record
        .headers()
        .add(PingHeaders.FLEET_ID, event.fleetId().toString().getBytes(StandardCharsets.UTF_8));
    kafka
        .send(record)
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                log.warn(
                    "Publishing webhook_disabled event {} failed; the feed has it: {}",
                    event.id(),
                    failure.toString());
              }
            });
  }
}
