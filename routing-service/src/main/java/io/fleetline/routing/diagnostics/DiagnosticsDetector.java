package io.fleetline.routing.diagnostics;

import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.event.DetectedEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Finds diagnostics events in a vehicle's history; pure and deterministic. Every sample is read to
 * know the state (whether the battery was already low, which codes were seen), but only samples
 * from {@code from} on raise events, each keyed by its type, the vehicle and the time of the sample
 * that raised it (and the code), so recomputing the same history finds the same keys.
 *
 * <ul>
 *   <li>{@code battery_low}: the external voltage falls below the threshold (but not to a power
 *       cut) after having been at least the threshold plus the hysteresis.
 *   <li>{@code power_cut}: the external voltage falls below the power-cut level after having been
 *       at least that level plus the hysteresis.
 *   <li>{@code fault_code}: a code the vehicle reports that it did not report within the lookback.
 *   <li>{@code fuel_drop}: while parked, the fuel level falls by more than the threshold below the
 *       highest level of the same stop within the window; once per stop.
 * </ul>
 *
 * A history that starts in the middle of a low voltage raises nothing for it: the event was raised
 * when it began. A drop already raised within the history is not raised again by a later sample.
 */
final class DiagnosticsDetector {

  private final DiagnosticsSettings settings;

  DiagnosticsDetector(DiagnosticsSettings settings) {
    this.settings = settings;
  }

  /** Events raised by the samples from {@code from} on; {@code history} is in time order. */
  List<DetectedEvent> detect(UUID vehicleId, List<DiagnosticSample> history, Instant from) {
    List<DetectedEvent> events = new ArrayList<>();
    Voltage voltage = new Voltage();
    Map<String, Instant> codeLastSeen = new HashMap<>();
    FuelStop stop = new FuelStop();
    for (DiagnosticSample s : history) {
      boolean raises = !s.recordedAt().isBefore(from);
      voltage.next(vehicleId, s, raises, events);
      faultCodes(vehicleId, s, raises, codeLastSeen, events);
      stop.next(vehicleId, s, raises, events);
    }
    return events;
  }

  /** Whether the supply was present and the battery above low, hysteresis included. */
  private final class Voltage {
    private boolean supplied;
    private boolean aboveLow;
    private double lastSuppliedV;

    void next(UUID vehicleId, DiagnosticSample s, boolean raises, List<DetectedEvent> out) {
      Double v = s.externalVoltageV();
      if (v == null) {
        return;
      }
      if (v < settings.powerCutVolts()) {
        if (supplied && raises) {
          out.add(
              event(
                  VehicleEvent.POWER_CUT,
                  vehicleId,
                  s,
                  "",
                  details("externalVoltageV", v, "previousVoltageV", lastSuppliedV)));
        }
        supplied = false;
        aboveLow = false;
        return;
      }
      if (v >= settings.powerCutVolts() + settings.hysteresisVolts()) {
        supplied = true;
        lastSuppliedV = v;
      }
      if (v < settings.batteryLowVolts()) {
        if (aboveLow && raises) {
          out.add(
              event(
                  VehicleEvent.BATTERY_LOW,
                  vehicleId,
                  s,
                  "",
                  details("externalVoltageV", v, "thresholdV", settings.batteryLowVolts())));
        }
        aboveLow = false;
      } else if (v >= settings.batteryLowVolts() + settings.hysteresisVolts()) {
        aboveLow = true;
      }
    }
  }

  private void faultCodes(
      UUID vehicleId,
      DiagnosticSample s,
      boolean raises,
      Map<String, Instant> lastSeen,
      List<DetectedEvent> out) {
    List<String> codes = s.diagnostics().faultCodes();
    if (codes == null) {
      return;
    }
    for (String code : codes) {
      Instant seen = lastSeen.put(code, s.recordedAt());
      boolean recent = seen != null && seen.isAfter(s.recordedAt().minus(settings.lookback()));
      if (!recent && raises) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("code", code);
        details.put("faultCodes", codes);
        out.add(event(VehicleEvent.FAULT_CODE, vehicleId, s, ":" + code, details));
      }
    }
  }

  /** The fuel levels of the current stop within the window, and whether it raised its drop. */
  private final class FuelStop {
    private final Deque<DiagnosticSample> levels = new ArrayDeque<>();
    private boolean raised;

    void next(UUID vehicleId, DiagnosticSample s, boolean raises, List<DetectedEvent> out) {
      Double level = s.diagnostics().fuelLevelPct();
      if (!s.parked()) {
        levels.clear();
        raised = false;
        return;
      }
      if (level == null) {
        return;
      }
      Instant since = s.recordedAt().minus(settings.fuelDropWindow());
      while (!levels.isEmpty() && levels.peekFirst().recordedAt().isBefore(since)) {
        levels.removeFirst();
      }
      double highest = level;
      for (DiagnosticSample earlier : levels) {
        highest = Math.max(highest, earlier.diagnostics().fuelLevelPct());
      }
      levels.addLast(s);
      if (highest - level > settings.fuelDropPct() && !raised) {
        raised = true;
        if (raises) {
          out.add(
              event(
                  VehicleEvent.FUEL_DROP,
                  vehicleId,
                  s,
                  "",
                  details("fuelLevelPct", level, "previousFuelLevelPct", highest)));
        }
      }
    }
  }

  private static Map<String, Object> details(String name, double value, String other, double v) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(name, value);
    details.put(other, v);
    return details;
  }

  private static DetectedEvent event(
      String type, UUID vehicleId, DiagnosticSample s, String suffix, Map<String, Object> details) {
    return new DetectedEvent(
        type + ":" + vehicleId + ":" + s.recordedAt() + suffix, type, s.sample(), details);
  }
}
