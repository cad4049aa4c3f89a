package io.fleetline.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Who sends when in the devices mode: in the device-realistic loop each device pings on its own
 * grid of ticks, the devices' phases spread evenly over the interval so the load is smooth; in the
 * closed loop the devices share the connections round-robin.
 */
final class DeviceSchedule {

  private DeviceSchedule() {}

  /** Where in the interval device {@code index} of {@code count} ticks: index/count of it. */
  static long phaseNanos(int index, int count, long intervalNanos) {
    // interval × index / count, without overflowing for long intervals and large fleets
    return intervalNanos / count * index + intervalNanos % count * index / count;
  }

  /**
   * The first tick strictly after {@code afterNanos} on the grid {@code origin + phase + k ×
   * interval} (k ≥ 0), so that a device that connects late or skips ticks stays in its phase.
   */
  static long nextTickNanos(
      long originNanos, long phaseNanos, long intervalNanos, long afterNanos) {
    long first = originNanos + phaseNanos;
    if (afterNanos < first) {
      return first;
    }
    long k = (afterNanos - first) / intervalNanos + 1;
    return first + k * intervalNanos;
  }

  /**
   * The devices each of {@code connections} connections sends for, in the order it takes them:
   * device i goes to connection i mod C (never more connections than devices).
   */
  static List<List<Integer>> roundRobin(int devices, int connections) {
    int used = Math.max(1, Math.min(devices, connections));
    List<List<Integer>> shares = new ArrayList<>(used);
    for (int c = 0; c < used; c++) {
      shares.add(new ArrayList<>(devices / used + 1));
    }
    for (int i = 0; i < devices; i++) {
      shares.get(i % used).add(i);
    }
    return shares;
  }
}
