package io.fleetline.api.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the webhook resources. */
final class WebhookViews {

  static final int MAX_URL_LENGTH = 2000;
  static final int MAX_VEHICLES = 1000;

  private WebhookViews() {}

  /** A new subscription: where to, which event types, and optionally which vehicles only. */
  @Schema(
      example =
          "{\"url\":\"https://hooks.example.com/fleetline\",\"eventTypes\":[\"trip_started\","
              + "\"trip_ended\"]}")
  record WebhookRequest(
      @NotBlank @Size(max = MAX_URL_LENGTH) String url,
      @NotEmpty @Size(max = 50) List<String> eventTypes,
      @Schema(description = "only these vehicles' events; absent or empty: every vehicle")
          @Size(max = MAX_VEHICLES)
          List<UUID> vehicleIds) {}

  /** A change: only the fields given change; {@code enabled: true} re-enables a disabled one. */
  record WebhookPatch(
      @Size(min = 1, max = MAX_URL_LENGTH) String url,
      @Size(min = 1, max = 50) List<String> eventTypes,
      @Schema(description = "only these vehicles' events; empty: every vehicle")
          @Size(max = MAX_VEHICLES)
          List<UUID> vehicleIds,
      Boolean enabled) {}

  /**
   * A subscription. {@code secret} ({@code whsec_...}) is present only in the answers to creation
   * and rotation: it is shown once.
   */
  record WebhookView(
      UUID id,
      String url,
      List<String> eventTypes,
      @Schema(description = "null: every vehicle") List<UUID> vehicleIds,
      boolean enabled,
      @Schema(description = "since when every attempt has failed; null while deliveries succeed")
          Instant failingSince,
      Instant disabledAt,
      String disabledReason,
      @Schema(description = "until when the secret before the last rotation still signs")
          Instant previousSecretValidUntil,
      Instant createdAt,
      Instant updatedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(description = "the signing secret, shown once (creation and rotation)")
          String secret) {

    WebhookView withSecret(String shown) {
      return new WebhookView(
          id,
          url,
          eventTypes,
          vehicleIds,
          enabled,
          failingSince,
          disabledAt,
          disabledReason,
          previousSecretValidUntil,
          createdAt,
          updatedAt,
          shown);
    }
  }

  /** One event's delivery to a subscription, as the delivery log shows it. */
  record DeliveryView(
      long id,
      @Schema(description = "the event's id in the feed; the webhook-id header is evt_<eventId>")
          long eventId,
      String eventType,
      UUID vehicleId,
      @Schema(allowableValues = {"pending", "delivered", "failed"}) String status,
      int attempts,
      Instant createdAt,
      Instant lastAttemptAt,
      Integer lastStatusCode,
      String lastError,
      @Schema(description = "when the next attempt is due; null unless pending")
          Instant nextAttemptAt,
      Instant deliveredAt) {}
}
