package io.fleetline.simulator;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints the accepted rate at a fixed period while a run lasts. */
final class Progress {

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
          });

  private Progress() {}

  static Progress every(Duration period, RunRecorder recorder) {
    Progress progress = new Progress();
    long[] last = {0};
    double seconds = period.toMillis() / 1000.0;
    progress.timer.scheduleAtFixedRate(
        () -> {
          long now = recorder.accepted();
          System.out.printf(
              Locale.ROOT,
              "accepted %,d pings/s (total %,d, failed uploads %d)%n",
              Math.round((now - last[0]) / seconds),
              now,
              recorder.failedUploads());
          last[0] = now;
          recorder.flushTruth();
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
    return progress;
  }

  void stop() {
    timer.shutdownNow();
  }
}
