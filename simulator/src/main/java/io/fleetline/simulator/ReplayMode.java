package io.fleetline.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Backfill and chaos: every vehicle drove over the last {@code --history} and uploads all of it
 * now, {@code --batch} pings at a time, oldest first. Backfill interleaves the vehicles' uploads at
 * random (devices coming back online in no particular order); chaos takes them in turn.
 */
final class ReplayMode {

  private final Fleet fleet;
  private final boolean shuffled;

  ReplayMode(Fleet fleet, boolean shuffled) {
    this.fleet = fleet;
    this.shuffled = shuffled;
  }

  static long pingsPerVehicle(SimulatorOptions options) {
    return Math.max(1, options.history().toMillis() / options.interval().toMillis());
  }

  Map<String, Object> run() throws Exception {
    SimulatorOptions options = fleet.options();
    long perVehicle = pingsPerVehicle(options);
    int uploadsPerVehicle = (int) ((perVehicle + options.batch() - 1) / options.batch());
    List<SimVehicle> order = new ArrayList<>();
    for (int k = 0; k < uploadsPerVehicle; k++) {
      order.addAll(fleet.vehicles());
    }
    if (shuffled) {
      Collections.shuffle(order, new Random(options.seed() ^ 0x5DEECE66DL));
    }
    Map<SimVehicle, long[]> left = new LinkedHashMap<>();
    fleet.vehicles().forEach(v -> left.put(v, new long[] {perVehicle}));
    System.out.printf(
        "Replaying %s of driving by %d vehicles (%d pings each), %s%n",
        options.history(),
        fleet.vehicles().size(),
        perVehicle,
        shuffled ? "uploads interleaved at random" : "vehicles in turn");
    AtomicInteger cursor = new AtomicInteger();
    long started = System.nanoTime();
    fleet.restartPacing();
    Progress progress = Progress.every(Duration.ofSeconds(5), fleet.recorder());
    try {
      fleet.runWorkers(
          options.concurrency(),
          ignored -> {
            for (int i = cursor.getAndIncrement();
                i < order.size() && !fleet.finishing() && !Thread.currentThread().isInterrupted();
                i = cursor.getAndIncrement()) {
              upload(order.get(i), left.get(order.get(i)));
            }
          });
    } finally {
      progress.stop();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", shuffled ? "backfill" : "chaos");
    summary.put("vehicles", fleet.vehicles().size());
    summary.put("historyS", options.history().toSeconds());
    summary.put("pingsPerVehicle", perVehicle);
    summary.put("batch", options.batch());
    summary.put("invalidRatio", options.invalidRatio());
    summary.put("durationS", Math.round(seconds * 10) / 10.0);
    fleet.recorder().addTo(summary);
    summary.put("acceptedPerSecond", Math.round(fleet.recorder().accepted() / seconds));
    return summary;
  }

  /**
   * The vehicle's next chunk, generated and sent under its lock: whichever worker gets there first
   * sends the oldest pings still buffered, so each vehicle's uploads stay in order.
   */
  private void upload(SimVehicle vehicle, long[] left) throws InterruptedException {
    SimulatorOptions options = fleet.options();
    synchronized (vehicle) {
      int n = (int) Math.min(options.batch(), left[0]);
      if (n <= 0) {
        return;
      }
      left[0] -= n;
      Instant wallClock = Instant.now();
      List<Outgoing> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(vehicle.next(options.interval(), wallClock));
      }
      fleet.pace(n);
      fleet.deliver(vehicle, items);
    }
  }
}
