package io.fleetline.routing.derived;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vehicles' {@link VehicleWindow}s, grouped by the Kafka partition their pings come from. A
 * window is valid only while this instance owns that partition, so a partition's windows are
 * dropped whenever it changes hands; each partition is written by one consumer thread at a time.
 */
final class VehicleWindows {

  private final Map<String, Map<UUID, VehicleWindow>> byPartition = new ConcurrentHashMap<>();
  private final int maxSamples;

  /**
   * @param maxSamples a window holding more samples than this is not kept (a vehicle that has not
   *     parked for very long): its next batch reads it from the database instead
   */
  VehicleWindows(int maxSamples) {
    this.maxSamples = maxSamples;
  }

  /** Removes and returns the vehicle's window; it is put back only once its batch committed. */
  VehicleWindow take(String partition, UUID vehicle) {
    Map<UUID, VehicleWindow> windows = byPartition.get(partition);
    return windows == null ? null : windows.remove(vehicle);
  }

  void put(String partition, UUID vehicle, VehicleWindow window) {
    if (window.samples().size() <= maxSamples) {
      byPartition.computeIfAbsent(partition, p -> new HashMap<>()).put(vehicle, window);
    }
  }

  void forget(Collection<String> partitions) {
    partitions.forEach(byPartition::remove);
  }

  int size() {
    return byPartition.values().stream().mapToInt(Map::size).sum();
  }
}
