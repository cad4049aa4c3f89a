package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceScheduleTest {

  @Test
  void theClosedLoopGivesDeviceIToConnectionIModC() {
    assertThat(DeviceSchedule.roundRobin(10, 4))
        .containsExactly(List.of(0, 4, 8), List.of(1, 5, 9), List.of(2, 6), List.of(3, 7));
  }

  @Test
  void theClosedLoopNeverOpensMoreConnectionsThanThereAreDevices() {
    assertThat(DeviceSchedule.roundRobin(3, 16))
        .containsExactly(List.of(0), List.of(1), List.of(2));
  }

  @Test
  void phasesSpreadTheDevicesEvenlyOverTheInterval() {
    long second = 1_000_000_000L;
    List<Long> phases = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      phases.add(DeviceSchedule.phaseNanos(i, 4, second));
    }
    assertThat(phases).containsExactly(0L, 250_000_000L, 500_000_000L, 750_000_000L);
    // Ten thousand devices over a second: a device every 100 µs, none outside the interval.
    assertThat(DeviceSchedule.phaseNanos(9_999, 10_000, second)).isEqualTo(999_900_000L);
    // No overflow for an hour's interval and a million devices.
    assertThat(DeviceSchedule.phaseNanos(999_999, 1_000_000, 3_600 * second))
        .isEqualTo(3_599_996_400_000L);
  }

  @Test
  void aDeviceThatConnectsLateOrMissesTicksStaysOnItsGrid() {
    long origin = 1_000;
    long phase = 300;
    long interval = 1_000;
    assertThat(DeviceSchedule.nextTickNanos(origin, phase, interval, 0)).isEqualTo(1_300);
    assertThat(DeviceSchedule.nextTickNanos(origin, phase, interval, 1_300)).isEqualTo(2_300);
    assertThat(DeviceSchedule.nextTickNanos(origin, phase, interval, 5_299)).isEqualTo(5_300);
    assertThat(DeviceSchedule.nextTickNanos(origin, phase, interval, 5_300)).isEqualTo(6_300);
  }
}
