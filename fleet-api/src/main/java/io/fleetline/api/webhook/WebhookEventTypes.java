package io.fleetline.api.webhook;

import java.util.Set;

/** The event types a subscription may ask for: every type the event feed can carry. */
final class WebhookEventTypes {

  static final String WEBHOOK_DISABLED = "webhook_disabled";

  static final Set<String> KNOWN =
      Set.of(
          "trip_started",
          "trip_ended",
          "stop",
          "geofence_entered",
          "geofence_exited",
          "overspeed",
          "device_offline",
          "device_online",
          "idling_started",
          "idling_ended",
          "harsh_braking",
          "harsh_acceleration",
          "harsh_cornering",
          "battery_low",
          "power_cut",
          "fault_code",
          "fuel_drop",
          "event_retracted",
          WEBHOOK_DISABLED);

  private WebhookEventTypes() {}
}
