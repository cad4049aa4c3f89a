package io.fleetline.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Real time: every vehicle reports every interval, one ping per message, as a tracker would; the
 * vehicles' reporting moments are spread evenly over the interval.
 */
final class DemoMode {

  private final Fleet fleet;

  DemoMode(Fleet fleet) {
    this.fleet = fleet;
  }

  /** When vehicle {@code index} of {@code count} first reports, after the run's start. */
  static Duration offset(Duration interval, int index, int count) {
    return interval.multipliedBy(index).dividedBy(count);
  }

  Map<String, Object> run(Instant start) throws Exception {
    SimulatorOptions options = fleet.options();
    System.out.printf(
        "Driving %d vehicles around %.4f,%.4f in real time, a ping every %.1fs%n",
        fleet.vehicles().size(),
        options.centreLat(),
        options.centreLon(),
        options.interval().toMillis() / 1000.0);
    Instant end = options.duration().isZero() ? Instant.MAX : start.plus(options.duration());
    long started = System.nanoTime();
    Progress progress = Progress.every(Duration.ofSeconds(10), fleet.recorder());
    try {
      fleet.runWorkers(options.concurrency(), mine -> drive(mine, start, end));
    } finally {
      progress.stop();
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", "demo");
    summary.put("vehicles", fleet.vehicles().size());
    summary.put("durationS", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
    fleet.recorder().addTo(summary);
    return summary;
  }

  private record Due(Instant at, SimVehicle vehicle) {}

  private void drive(List<SimVehicle> mine, Instant start, Instant end)
      throws InterruptedException {
    Duration interval = fleet.options().interval();
    int count = fleet.vehicles().size();
    PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparing(Due::at));
    for (SimVehicle v : mine) {
      queue.add(new Due(start.plus(offset(interval, v.index(), count)), v));
    }
    while (!queue.isEmpty() && !Thread.currentThread().isInterrupted()) {
      Due next = queue.poll();
      if (!next.at().isBefore(end)) {
        break;
      }
      long waitMs = Duration.between(Instant.now(), next.at()).toMillis();
      if (waitMs > 0) {
        Thread.sleep(waitMs); // real-time pacing of the simulated fleet
      }
      if (fleet.finishing()) {
        break;
      }
      SimVehicle v = next.vehicle();
      fleet.deliver(v, List.of(v.next(interval, Instant.now())));
      queue.add(new Due(next.at().plus(interval), v));
    }
  }
}
