package io.fleetline.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The vehicle's health as its tracker reported it with a position, in the units of the contract;
 * {@code null} where the tracker did not report a value, and absent values are left out of the
 * JSON.
 *
 * @param externalVoltageV the vehicle's supply voltage (Teltonika IO 66)
 * @param batteryVoltageV the tracker's own backup battery (Teltonika IO 67)
 * @param batteryCurrentA current drawn from the tracker's battery (Teltonika IO 68)
 * @param batteryLevelPct charge of the tracker's or phone's battery, 0..100 (Teltonika IO 113,
 *     OsmAnd {@code batt})
 * @param charging whether that battery is charging (OsmAnd {@code charge})
 * @param moving whether the tracker senses movement (Teltonika IO 240)
 * @param gsmSignal mobile signal strength, 0..5 (Teltonika IO 21)
 * @param fuelLevelPct fuel tank level, 0..100 (Teltonika IO 89 from CAN, else IO 48 from OBD)
 * @param faultCodes the diagnostic trouble codes the vehicle reports now, e.g. {@code P0301}
 *     (Teltonika IO 281)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Diagnostics(
    Double externalVoltageV,
    Double batteryVoltageV,
    Double batteryCurrentA,
    Double batteryLevelPct,
    Boolean charging,
    Boolean moving,
    Integer gsmSignal,
    Double fuelLevelPct,
    List<String> faultCodes) {

  public Diagnostics {
    faultCodes = faultCodes == null ? null : List.copyOf(faultCodes);
  }

  /** Whether no value at all was reported: such diagnostics are left out of a ping. */
  public boolean empty() {
    return externalVoltageV == null
        && batteryVoltageV == null
        && batteryCurrentA == null
        && batteryLevelPct == null
        && charging == null
        && moving == null
        && gsmSignal == null
        && fuelLevelPct == null
        && faultCodes == null;
  }
}
