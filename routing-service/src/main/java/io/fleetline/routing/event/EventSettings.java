package io.fleetline.routing.event;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Parameters of event detection ({@code fleetline.routing.events.*}).
 *
 * @param defaultSpeedLimitKmh the overspeed limit outside geofences that set their own
 * @param fleetSpeedLimitsKmh per-fleet overrides of the default limit
 * @param minOverspeedDuration an episode above the limit shorter than this raises nothing
 * @param liveWindow events older than this when first detected are marked {@code live=false}
 */
@ConfigurationProperties("fleetline.routing.events")
public record EventSettings(
    @DefaultValue("120") double defaultSpeedLimitKmh,
    Map<UUID, Double> fleetSpeedLimitsKmh,
    @DefaultValue("15s") Duration minOverspeedDuration,
    @DefaultValue("5m") Duration liveWindow) {

  public EventSettings {
    fleetSpeedLimitsKmh = fleetSpeedLimitsKmh == null ? Map.of() : Map.copyOf(fleetSpeedLimitsKmh);
  }

  public static EventSettings defaults() {
    return new EventSettings(120, Map.of(), Duration.ofSeconds(15), Duration.ofMinutes(5));
  }

  double speedLimitKmh(UUID fleetId) {
    return fleetSpeedLimitsKmh.getOrDefault(fleetId, defaultSpeedLimitKmh);
  }
}
