package io.fleetline.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Load: vehicles buffer {@code --batch} pings and upload them together, {@code --concurrency}
 * uploads at a time, paced to {@code --rate} pings/s over the whole fleet (or as fast as ingest
 * takes them), for {@code --duration}. Event time starts far enough back (at least a day) that even
 * an unpaced run never reports from the future.
 */
final class LoadMode {

  /** Assumed ceiling of an unpaced run, for placing event time safely in the past. */
  private static final double UNPACED_RATE_BOUND = 200_000;

  private final Fleet fleet;
  private final WindowFile window;

  LoadMode(Fleet fleet, WindowFile window) {
    this.fleet = fleet;
    this.window = window;
  }

  /** Where event time starts, so that {@code duration} at the rate stays in the past. */
  static Instant eventStart(SimulatorOptions options, Instant now) {
    double rate = options.ratePerSecond() > 0 ? options.ratePerSecond() : UNPACED_RATE_BOUND;
    double pingsPerVehicle = rate * options.duration().toSeconds() / options.vehicles();
    Duration span =
        Duration.ofMillis(
            (long) Math.min(20 * 86_400_000.0, pingsPerVehicle * options.interval().toMillis()));
    Duration back = span.compareTo(Duration.ofDays(1)) > 0 ? span.plusHours(1) : Duration.ofDays(1);
    return now.minus(back).truncatedTo(ChronoUnit.SECONDS);
  }

  Map<String, Object> run() throws Exception {
    SimulatorOptions options = fleet.options();
    long startNanos = System.nanoTime();
    long endNanos = startNanos + options.duration().toNanos();
    fleet.restartPacing();
    // The window: from the first upload after registration to the end of sending.
    long windowStart = System.currentTimeMillis();
    window.opened(windowStart);
    Progress progress = Progress.every(Duration.ofSeconds(1), fleet.recorder());
    try {
      fleet.runWorkers(options.concurrency(), mine -> drive(mine, endNanos));
    } finally {
      progress.stop();
    }
    long windowEnd = System.currentTimeMillis();
    window.closed(windowEnd);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long accepted = fleet.recorder().accepted();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", "load");
    summary.put("vehicles", fleet.vehicles().size());
    summary.put("batch", options.batch());
    summary.put("concurrency", options.concurrency());
    summary.put("targetRate", options.ratePerSecond());
    summary.put("durationS", Math.round(seconds * 10) / 10.0);
    summary.put("windowStart", windowStart);
    summary.put("windowEnd", windowEnd);
    fleet.recorder().addTo(summary);
    summary.put("acceptedPerSecond", Math.round(accepted / seconds));
    return summary;
  }

  private void drive(List<SimVehicle> mine, long endNanos) throws InterruptedException {
    SimulatorOptions options = fleet.options();
    while (System.nanoTime() < endNanos
        && !fleet.finishing()
        && !Thread.currentThread().isInterrupted()) {
      for (SimVehicle vehicle : mine) {
        if (System.nanoTime() >= endNanos || fleet.finishing()) {
          break;
        }
        Instant wallClock = Instant.now();
        List<Outgoing> items = new ArrayList<>(options.batch());
        for (int i = 0; i < options.batch(); i++) {
          items.add(vehicle.next(options.interval(), wallClock));
        }
        fleet.pace(items.size());
        fleet.deliver(vehicle, items);
      }
    }
  }
}
