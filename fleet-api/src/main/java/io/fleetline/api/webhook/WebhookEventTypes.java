package io.fleetline.api.webhook;

import io.fleetline.common.VehicleEvent;
import java.util.Set;

/** The event types a subscription may ask for: every type the event feed can carry. */
final class WebhookEventTypes {

  static final String WEBHOOK_DISABLED = VehicleEvent.WEBHOOK_DISABLED;

  static final Set<String> KNOWN = VehicleEvent.TYPES;

  private WebhookEventTypes() {}
}
