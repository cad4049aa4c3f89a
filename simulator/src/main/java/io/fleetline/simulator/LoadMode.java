package io.fleetline.simulator;

import io.fleetline.common.FleetlineJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load: vehicles buffer {@code --batch} pings and upload them in one request, {@code --concurrency}
 * uploads at a time, paced to {@code --rate} pings/s over the whole fleet (or as fast as ingest
 * takes them). Event time starts a day back, so that a long or fast run never reports from the
 * future.
 */
final class LoadMode {

  private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");

  private final HttpClient http;
  private final SimulatorOptions options;
  private final List<SimulatedFleet.Vehicle> fleet;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong failedRequests = new AtomicLong();
  private final AtomicLong nextSlotNanos = new AtomicLong();
  private final List<Long> latencyMicros = new ArrayList<>();

  LoadMode(HttpClient http, SimulatorOptions options, List<SimulatedFleet.Vehicle> fleet) {
    this.http = http;
    this.options = options;
    this.fleet = fleet;
  }

  void run() throws Exception {
    Duration duration = options.duration().isZero() ? Duration.ofSeconds(60) : options.duration();
    Instant eventStart = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    int workers = Math.min(options.concurrency(), fleet.size());
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    long startNanos = System.nanoTime();
    long endNanos = startNanos + duration.toNanos();
    nextSlotNanos.set(startNanos);
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      List<SimulatedFleet.Vehicle> mine = new ArrayList<>();
      for (int i = w; i < fleet.size(); i += workers) {
        mine.add(fleet.get(i));
      }
      running.add(pool.submit(() -> drive(mine, eventStart, endNanos)));
    }
    ScheduledReporter reporter = new ScheduledReporter();
    reporter.start();
    for (Future<?> worker : running) {
      worker.get();
    }
    reporter.stop();
    pool.shutdown();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String summary =
        FleetlineJson.mapper()
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(summary(seconds));
    System.out.println(summary);
    if (options.summaryFile() != null) {
      Path file = Path.of(options.summaryFile());
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, summary);
    }
  }

  private Void drive(List<SimulatedFleet.Vehicle> vehicles, Instant eventStart, long endNanos)
      throws IOException, InterruptedException {
    Map<SimulatedFleet.Vehicle, Instant> clock = new LinkedHashMap<>();
    vehicles.forEach(v -> clock.put(v, eventStart));
    while (System.nanoTime() < endNanos) {
      for (SimulatedFleet.Vehicle vehicle : vehicles) {
        if (System.nanoTime() >= endNanos) {
          break;
        }
        Instant t = clock.get(vehicle);
        StringBuilder body = new StringBuilder(options.batch() * 200).append('[');
        for (int i = 0; i < options.batch(); i++) {
          vehicle.model().advance(options.interval());
          t = t.plus(options.interval());
          body.append(i == 0 ? "" : ",").append(vehicle.model().pingJson(t));
        }
        clock.put(vehicle, t);
        awaitSlot();
        upload(vehicle, body.append(']').toString());
      }
    }
    return null;
  }

  /** Token-bucket pacing: each upload reserves its share of a second at the target rate. */
  private void awaitSlot() {
    if (options.ratePerSecond() <= 0) {
      return;
    }
    long nanosPerUpload = (long) (options.batch() * 1e9 / options.ratePerSecond());
    long slot = nextSlotNanos.getAndAdd(nanosPerUpload);
    long wait = slot - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  private void upload(SimulatedFleet.Vehicle vehicle, String body)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(options.ingestUrl() + "/api/v1/pings"))
                .header("Authorization", "Bearer " + vehicle.registration().deviceToken())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long micros = (System.nanoTime() - started) / 1000;
    if (response.statusCode() == 202) {
      Matcher m = ACCEPTED.matcher(response.body());
      int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
      accepted.addAndGet(n);
      rejected.addAndGet(options.batch() - n);
      synchronized (latencyMicros) {
        latencyMicros.add(micros);
      }
    } else {
      failedRequests.incrementAndGet();
    }
  }

  private Map<String, Object> summary(double seconds) {
    long[] sorted;
    synchronized (latencyMicros) {
      sorted = latencyMicros.stream().mapToLong(Long::longValue).toArray();
    }
    Arrays.sort(sorted);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", "load");
    summary.put("vehicles", fleet.size());
    summary.put("batch", options.batch());
    summary.put("concurrency", options.concurrency());
    summary.put("targetRate", options.ratePerSecond());
    summary.put("durationS", Math.round(seconds * 10) / 10.0);
    summary.put("accepted", accepted.get());
    summary.put("rejected", rejected.get());
    summary.put("failedRequests", failedRequests.get());
    summary.put("acceptedPerSecond", Math.round(accepted.get() / seconds));
    summary.put("uploadLatencyP50Ms", percentileMs(sorted, 0.50));
    summary.put("uploadLatencyP99Ms", percentileMs(sorted, 0.99));
    return summary;
  }

  private static double percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    long micros = sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    return Math.round(micros / 100.0) / 10.0;
  }

  /** Prints the accepted rate once a second while the run lasts. */
  private final class ScheduledReporter {
    private final java.util.concurrent.ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor();
    private long last;

    void start() {
      timer.scheduleAtFixedRate(
          () -> {
            long now = accepted.get();
            System.out.printf(
                Locale.ROOT,
                "accepted %,d pings/s (total %,d, failed uploads %d)%n",
                now - last,
                now,
                failedRequests.get());
            last = now;
          },
          1,
          1,
          TimeUnit.SECONDS);
    }

    void stop() {
      timer.shutdownNow();
    }
  }
}
