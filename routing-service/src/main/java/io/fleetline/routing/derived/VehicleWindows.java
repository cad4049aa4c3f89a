package io.fleetline.routing.derived;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The vehicles' {@link VehicleWindow}s, grouped by the Kafka partition their pings come from. A
 * window is valid only while this instance owns that partition, so a partition's windows are
 * dropped whenever it changes hands.
 *
 * <p>Together the windows hold at most {@code budget} samples. A window that does not fit displaces
 * kept windows larger than itself, largest first, and is not kept if that is not enough: the
 * largest windows free the most memory per vehicle sent back to the database, and they belong to
 * the vehicles whose windows keep growing (parked with the engine on, or driving without a stop),
 * which would outgrow the budget again anyway. Consumer threads share the budget, so every access
 * holds this object's lock: a few map operations per vehicle and batch.
 */
final class VehicleWindows {

  /** One kept window, ordered largest first. */
  private record Kept(int samples, String partition, UUID vehicle) {}

  private static final Comparator<Kept> LARGEST_FIRST =
      Comparator.comparingInt(Kept::samples)
          .reversed()
          .thenComparing(Kept::partition)
          .thenComparing(Kept::vehicle);

  private final Map<String, Map<UUID, VehicleWindow>> byPartition = new HashMap<>();
  private final NavigableSet<Kept> bySize = new TreeSet<>(LARGEST_FIRST);
  private final int maxSamples;
  private final long budget;
  private long keptSamples;

  /**
   * @param maxSamples a window holding more samples than this is not kept (a vehicle that has not
   *     parked for very long): its next batch reads it from the database instead
   * @param budget the most samples all kept windows hold together
   */
  VehicleWindows(int maxSamples, long budget) {
    this.maxSamples = maxSamples;
    this.budget = budget;
  }

  /** Whether a window of this many samples may be kept at all. */
  boolean keepable(int samples) {
    return samples <= maxSamples && samples <= budget;
  }

  long budget() {
    return budget;
  }

  /** Removes and returns the vehicle's window; it is put back only once its batch committed. */
  synchronized VehicleWindow take(String partition, UUID vehicle) {
    Map<UUID, VehicleWindow> windows = byPartition.get(partition);
    VehicleWindow window = windows == null ? null : windows.remove(vehicle);
    if (window != null) {
      release(partition, vehicle, window);
    }
    return window;
  }

  synchronized void put(String partition, UUID vehicle, VehicleWindow window) {
    take(partition, vehicle);
    int samples = window.samples().size();
    if (!keepable(samples)) {
      return;
    }
    while (keptSamples + samples > budget) {
      Kept largest = bySize.first();
      if (largest.samples() <= samples) {
        return;
      }
      take(largest.partition(), largest.vehicle());
    }
    byPartition.computeIfAbsent(partition, p -> new HashMap<>()).put(vehicle, window);
    bySize.add(new Kept(samples, partition, vehicle));
    keptSamples += samples;
  }

  synchronized void forget(Collection<String> partitions) {
    for (String partition : partitions) {
      Map<UUID, VehicleWindow> windows = byPartition.remove(partition);
      if (windows != null) {
        windows.forEach((vehicle, window) -> release(partition, vehicle, window));
      }
    }
  }

  synchronized int size() {
    return bySize.size();
  }

  /** Samples held by all kept windows together. */
  synchronized long keptSamples() {
    return keptSamples;
  }

  private void release(String partition, UUID vehicle, VehicleWindow window) {
    bySize.remove(new Kept(window.samples().size(), partition, vehicle));
    keptSamples -= window.samples().size();
  }
}
