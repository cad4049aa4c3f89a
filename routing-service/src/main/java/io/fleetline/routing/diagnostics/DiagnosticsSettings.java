package io.fleetline.routing.diagnostics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Thresholds of the diagnostics events ({@code fleetline.routing.diagnostics.*}).
 *
 * @param batteryLowVolts external (vehicle) voltage below which {@code battery_low} is raised; 11.5
 *     V suits 12 V systems, about 23 V suits 24 V trucks
 * @param hysteresisVolts how far above a threshold the voltage must come back before the same event
 *     can be raised again, so a voltage hovering at it raises one event
 * @param powerCutVolts external voltage below which the tracker counts as cut off the vehicle's
 *     supply ({@code power_cut}), after having had it
 * @param fuelDropPct a fall of the fuel level by more than this many percentage points while parked
 *     raises {@code fuel_drop}
 * @param fuelDropWindow the fall must happen within this time
 * @param lookback how much of a vehicle's earlier history tells the state before new pings; a fault
 *     code not reported within it counts as new. At least {@code fuelDropWindow}
 */
@ConfigurationProperties("fleetline.routing.diagnostics")
public record DiagnosticsSettings(
    @DefaultValue("11.5") double batteryLowVolts,
    @DefaultValue("0.5") double hysteresisVolts,
    @DefaultValue("3.0") double powerCutVolts,
    @DefaultValue("10") double fuelDropPct,
    @DefaultValue("30m") Duration fuelDropWindow,
    @DefaultValue("1h") Duration lookback) {

  public DiagnosticsSettings {
    if (lookback.compareTo(fuelDropWindow) < 0) {
      throw new IllegalArgumentException(
          "fleetline.routing.diagnostics.lookback must be at least the fuel-drop-window");
    }
  }

  static DiagnosticsSettings defaults() {
    return new DiagnosticsSettings(11.5, 0.5, 3.0, 10, Duration.ofMinutes(30), Duration.ofHours(1));
  }
}
