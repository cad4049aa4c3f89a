package io.fleetline.routing.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Diagnostics;
import io.fleetline.routing.event.DetectedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DiagnosticsDetectorTest {

  static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
  static final UUID VEHICLE = UUID.fromString("6f1c1a4e-0000-4000-8000-000000000001");

  final DiagnosticsDetector detector = new DiagnosticsDetector(DiagnosticsSettings.defaults());

  static DiagnosticSample volts(int minute, double externalVoltageV) {
    return sample(minute, true, diagnostics(externalVoltageV, null, null));
  }

  static DiagnosticSample codes(int minute, String... codes) {
    return sample(minute, true, diagnostics(null, null, List.of(codes)));
  }

  static DiagnosticSample fuel(int minute, boolean ignition, double fuelLevelPct) {
    return sample(minute, ignition, diagnostics(null, fuelLevelPct, null));
  }

  static DiagnosticSample sample(int minute, Boolean ignition, Diagnostics diagnostics) {
    return new DiagnosticSample(
        T0.plusSeconds(60L * minute), 52.5, 13.4, null, ignition, diagnostics);
  }

  static Diagnostics diagnostics(Double volts, Double fuelPct, List<String> codes) {
    return new Diagnostics(volts, null, null, null, null, null, null, fuelPct, codes);
  }

  List<String> detect(List<DiagnosticSample> history) {
    return detect(history, T0.minusSeconds(1));
  }

  List<String> detect(List<DiagnosticSample> history, Instant from) {
    return detector.detect(VEHICLE, history, from).stream().map(DetectedEvent::key).toList();
  }

  static String key(String type, int minute) {
    return type + ":" + VEHICLE + ":" + T0.plusSeconds(60L * minute);
  }

  @Test
  void aVoltageJitteringAtTheLowThresholdRaisesOneBatteryLow() {
    List<String> events =
        detect(
            List.of(
                volts(0, 12.6),
                volts(1, 11.4),
                volts(2, 11.6),
                volts(3, 11.45),
                volts(4, 11.55),
                volts(5, 11.49),
                volts(6, 11.9)));

    assertThat(events).containsExactly(key("battery_low", 1));
  }

  @Test
  void batteryLowIsRaisedAgainOnlyAfterTheVoltageRecoveredPastTheHysteresis() {
    List<String> events =
        detect(List.of(volts(0, 12.4), volts(1, 11.2), volts(2, 12.1), volts(3, 11.3)));

    assertThat(events).containsExactly(key("battery_low", 1), key("battery_low", 3));
  }

  @Test
  void losingTheSupplyIsAPowerCutNotALowBatteryAndIsRaisedOncePerLoss() {
    List<DetectedEvent> events =
        detector.detect(
            VEHICLE,
            List.of(
                volts(0, 12.6),
                volts(1, 0.2),
                volts(2, 0.0),
                volts(3, 2.9),
                volts(4, 12.5),
                volts(5, 0.1)),
            T0);

    assertThat(events)
        .extracting(DetectedEvent::key)
        .containsExactly(key("power_cut", 1), key("power_cut", 5));
    assertThat(events.get(0).details())
        .containsEntry("externalVoltageV", 0.2)
        .containsEntry("previousVoltageV", 12.6);
  }

  @Test
  void aTrackerThatNeverHadSupplyRaisesNoPowerCut() {
    assertThat(detect(List.of(volts(0, 0.0), volts(1, 0.1)))).isEmpty();
  }

  @Test
  void aFaultCodeIsRaisedWhenFirstReportedNotWhileItStaysAndAgainAfterALongAbsence() {
    List<DetectedEvent> events =
        detector.detect(
            VEHICLE,
            List.of(
                codes(0, "P0301"),
                codes(1, "P0301", "U0100"),
                codes(2, "P0301", "U0100"),
                codes(3),
                codes(100, "P0301")),
            T0);

    assertThat(events)
        .extracting(DetectedEvent::key)
        .containsExactly(
            key("fault_code", 0) + ":P0301",
            key("fault_code", 1) + ":U0100",
            key("fault_code", 100) + ":P0301");
    assertThat(events.get(1).details())
        .containsEntry("code", "U0100")
        .containsEntry("faultCodes", List.of("P0301", "U0100"));
  }

  @Test
  void fuelFallingSharplyWhileParkedRaisesOneFuelDropPerStop() {
    List<DiagnosticSample> history =
        List.of(
            fuel(0, true, 70),
            fuel(1, false, 70),
            fuel(5, false, 64),
            fuel(10, false, 55),
            fuel(12, false, 40),
            fuel(20, true, 40),
            fuel(21, false, 40),
            fuel(25, false, 25));

    assertThat(detect(history)).containsExactly(key("fuel_drop", 10), key("fuel_drop", 25));
  }

  @Test
  void fuelBurntWhileDrivingOrFallingSlowerThanTheWindowRaisesNothing() {
    List<DiagnosticSample> driving = List.of(fuel(0, true, 70), fuel(30, true, 40));
    List<DiagnosticSample> slowly = new ArrayList<>();
    for (int minute = 0; minute <= 240; minute += 10) {
      slowly.add(fuel(minute, false, 70 - minute / 10.0));
    }

    assertThat(detect(driving)).isEmpty();
    assertThat(detect(slowly)).isEmpty();
  }

  @Test
  void detectingAgainFromALaterPingFindsTheSameKeysAndNoEarlierOnes() {
    List<DiagnosticSample> history =
        List.of(
            volts(0, 12.6),
            volts(1, 11.2),
            volts(2, 11.4),
            volts(3, 12.4),
            volts(4, 11.0),
            codes(5, "P0420"),
            codes(6, "P0420"));

    List<String> all = detect(history);
    List<String> fromMinute2 = detect(history, T0.plusSeconds(120));

    assertThat(all)
        .containsExactly(
            key("battery_low", 1), key("battery_low", 4), key("fault_code", 5) + ":P0420");
    assertThat(fromMinute2).containsExactly(key("battery_low", 4), key("fault_code", 5) + ":P0420");
  }
}
