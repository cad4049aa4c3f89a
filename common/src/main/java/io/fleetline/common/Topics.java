package io.fleetline.common;

/**
 * Default names of the Kafka topics that connect the services; each is overridable by
 * configuration.
 */
public final class Topics {

  /** Validated pings, key = vehicle id. */
  public static final String PINGS = "fleetline.pings";

  /** Pings that failed validation, with the reason in a header. */
  public static final String PINGS_REJECTED = "fleetline.pings.rejected";

  /** Trip, stop, geofence and overspeed events, key = vehicle id. */
  public static final String EVENTS = "fleetline.events";

  /** Compacted device registry, key = {@link DeviceKey}. */
  public static final String DEVICES = "fleetline.devices";

  private Topics() {}
}
