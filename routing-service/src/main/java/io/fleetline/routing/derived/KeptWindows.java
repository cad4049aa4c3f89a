package io.fleetline.routing.derived;

import io.fleetline.routing.position.HistoryFollower.NewHistory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Windows kept in memory between batches, for as long as this consumer owns the vehicle's Kafka
 * partition. Live data mostly comes in order, and then the next batch's window is known in advance:
 * a batch that only appends to a kept window whose newest sample is still the newest stored one is
 * detected over it without reading the database, and only what changed is written. Every other
 * vehicle is left to the database ({@link DatabaseWindows}): late pings, a vehicle seen first, a
 * partition just assigned, a failed batch, a window displaced by larger ones.
 */
final class KeptWindows implements WindowSource {

  private final VehicleWindows windows;

  KeptWindows(DerivedSettings settings, MeterRegistry meters) {
    this.windows =
        new VehicleWindows(
            settings.maxWindowSamples(),
            settings.keptSamplesBudget(Runtime.getRuntime().maxMemory()));
    Gauge.builder("fleetline.routing.derived.kept.samples", windows, VehicleWindows::keptSamples)
        .description("History samples held in memory in vehicles' windows between batches")
        .register(meters);
    Gauge.builder("fleetline.routing.derived.kept.samples.budget", windows, VehicleWindows::budget)
        .description("The most history samples vehicles' windows may hold together")
        .register(meters);
    Gauge.builder("fleetline.routing.derived.kept.windows", windows, VehicleWindows::size)
        .description("Vehicles whose window is held in memory between batches")
        .register(meters);
  }

  /** Gives the kept windows the batch only appends to, as one group; they are kept no longer. */
  @Override
  public Map<UUID, NewHistory> windows(
      Connection connection, Map<UUID, NewHistory> newHistory, Groups into) throws SQLException {
    List<VehicleWindow> appended = new ArrayList<>();
    Map<UUID, NewHistory> rest = new HashMap<>();
    newHistory.forEach(
        (vehicle, added) -> {
          VehicleWindow known = added.owner() == null ? null : windows.take(added.owner(), vehicle);
          if (known != null && onlyAppends(known, added)) {
            appended.add(known.appending(added.fleetId(), added.added()));
          } else {
            rest.put(vehicle, added);
          }
        });
    if (!appended.isEmpty()) {
      into.accept(appended);
    }
    return rest;
  }

  /**
   * Whether the window is still what the database holds: nothing was stored for the vehicle since
   * (the newest stored time is the window's), and the batch only appends after it.
   */
  private static boolean onlyAppends(VehicleWindow known, NewHistory added) {
    return known.latest().equals(added.previousLatest())
        && added.earliest().isAfter(known.latest());
  }

  /** The batches of these partitions may now be written by another consumer, or were. */
  void forget(Collection<String> partitions) {
    windows.forget(partitions);
  }

  /** Collects the windows one batch leaves for its successors. */
  Successors successors() {
    return new Successors();
  }

  /**
   * The windows a batch will keep once it commits, together at most the budget of kept samples:
   * until then they are held besides the windows already kept. Windows offered first come first to
   * the budget.
   */
  final class Successors {

    private record Offered(String owner, VehicleWindow window) {}

    private final List<Offered> offered = new ArrayList<>();
    private long samples;

    /** Offers the window of a vehicle whose pings come from the {@code owner} partition. */
    void offer(String owner, VehicleWindow window) {
      int size = window.samples().size();
      if (windows.keepable(size) && samples + size <= windows.budget()) {
        offered.add(new Offered(owner, window));
        samples += size;
      }
    }

    /** Keeps the windows offered; only once the batch committed. */
    void keep() {
      offered.forEach(o -> windows.put(o.owner(), o.window().vehicleId(), o.window()));
    }
  }
}
