package io.fleetline.routing.event;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * An event detection raised for a vehicle, reduced to what deciding whether a later detection still
 * implies it takes.
 *
 * @param key the event's identity ({@code vehicle_events.event_key})
 * @param occurredAt when it happened; an event found again under its key but at another time (a
 *     trip that ends elsewhere) is not the same event
 * @param anchoredAt what a window's history must reach back to for detection over it to find the
 *     event: the trip's start for trip events, else {@code occurredAt}
 * @param geofenceId the geofence of a geofence event, else null
 */
public record RaisedEvent(String key, Instant occurredAt, Instant anchoredAt, UUID geofenceId) {

  /** The event as stored from its detection. */
  public static RaisedEvent of(DetectedEvent event) {
    Instant occurredAt = event.at().recordedAt();
    Object tripStartedAt = event.details().get("tripStartedAt");
    Object geofenceId = event.details().get("geofenceId");
    return of(
        event.key(),
        occurredAt,
        tripStartedAt == null ? null : tripStartedAt.toString(),
        geofenceId == null ? null : geofenceId.toString());
  }

  /** The event as stored, from its columns and the details its window depends on. */
  static RaisedEvent of(String key, Instant occurredAt, String tripStartedAt, String geofenceId) {
    return new RaisedEvent(
        key, occurredAt, instantOr(tripStartedAt, occurredAt), uuidOrNull(geofenceId));
  }

  /** Whether {@code other} is this event: the same key at the same time. */
  boolean sameAs(RaisedEvent other) {
    return key.equals(other.key) && occurredAt.equals(other.occurredAt);
  }

  private static Instant instantOr(String text, Instant otherwise) {
    if (text == null) {
      return otherwise;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return otherwise;
    }
  }

  private static UUID uuidOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
