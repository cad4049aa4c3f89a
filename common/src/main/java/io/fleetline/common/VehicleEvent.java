package io.fleetline.common;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An alert about one vehicle, as stored in {@code vehicle_events} and published on {@link
 * Topics#EVENTS} (key = vehicle id).
 *
 * @param v schema version of this record on the wire
 * @param id the feed position ({@code vehicle_events.id}); consumers de-duplicate by it
 * @param type one of the {@code TRIP_STARTED}, ... constants
 * @param occurredAt event time: when it happened according to the vehicle's pings
 * @param details type-specific fields, e.g. {@code geofenceId}, {@code speedKmh}, {@code live}
 */
public record VehicleEvent(
    int v,
    long id,
    String type,
    UUID vehicleId,
    UUID fleetId,
    Instant occurredAt,
    Double latitude,
    Double longitude,
    Map<String, Object> details) {

  public static final int CURRENT_VERSION = 1;
  public static final String TRIP_STARTED = "trip_started";
  public static final String TRIP_ENDED = "trip_ended";
  public static final String GEOFENCE_ENTERED = "geofence_entered";
  public static final String GEOFENCE_EXITED = "geofence_exited";
  public static final String OVERSPEED = "overspeed";
  public static final String STOP = "stop";

  /** No ping for the offline period (wall-clock); found by stream analytics. */
  public static final String DEVICE_OFFLINE = "device_offline";

  /** The first ping after {@link #DEVICE_OFFLINE}. */
  public static final String DEVICE_ONLINE = "device_online";

  /** Ignition on and standing for longer than the idle period. */
  public static final String IDLING_STARTED = "idling_started";

  public static final String IDLING_ENDED = "idling_ended";
  public static final String HARSH_BRAKING = "harsh_braking";
  public static final String HARSH_ACCELERATION = "harsh_acceleration";
  public static final String HARSH_CORNERING = "harsh_cornering";

  /** The vehicle's supply voltage fell below the low-battery threshold. */
  public static final String BATTERY_LOW = "battery_low";

  /** The tracker lost the vehicle's supply voltage (cut or disconnected). */
  public static final String POWER_CUT = "power_cut";

  /** The vehicle reported an OBD fault code it had not reported recently. */
  public static final String FAULT_CODE = "fault_code";

  /** The fuel level fell sharply while the vehicle was parked (possible theft). */
  public static final String FUEL_DROP = "fuel_drop";

  /** A fleet's webhook subscription was disabled; {@code vehicleId} is null for this type. */
  public static final String WEBHOOK_DISABLED = "webhook_disabled";

  /** Marks an earlier event that later history no longer implies. */
  public static final String EVENT_RETRACTED = "event_retracted";

  /** Every type the feed can carry: what {@code vehicle_events.type} admits. */
  public static final Set<String> TYPES =
      Set.of(
          TRIP_STARTED,
          TRIP_ENDED,
          STOP,
          GEOFENCE_ENTERED,
          GEOFENCE_EXITED,
          OVERSPEED,
          DEVICE_OFFLINE,
          DEVICE_ONLINE,
          IDLING_STARTED,
          IDLING_ENDED,
          HARSH_BRAKING,
          HARSH_ACCELERATION,
          HARSH_CORNERING,
          BATTERY_LOW,
          POWER_CUT,
          FAULT_CODE,
          FUEL_DROP,
          EVENT_RETRACTED,
          WEBHOOK_DISABLED);

  public VehicleEvent {
    details =
        details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
