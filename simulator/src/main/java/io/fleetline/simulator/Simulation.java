package io.fleetline.simulator;

import io.fleetline.simulator.truth.GroundTruth;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Runs the simulator in-process, as its command line would, for tests that drive the platform and
 * compare what it stored with what was really sent.
 *
 * <pre>{@code
 * Simulation.Result result =
 *     Simulation.run(
 *         List.of("chaos", "--vehicles", "20", "--protocols", "http=1,osmand=1,mqtt=1,teltonika=1",
 *             "--seed", "42", "--truth", dir.toString()),
 *         Map.of("FLEETLINE_API_URL", apiUrl, "FLEETLINE_INGEST_URL", ingestUrl, ...));
 * result.truth().pings(); // every valid ping sent
 * }</pre>
 */
public final class Simulation {

  /**
   * What a run did.
   *
   * @param mode {@code demo}, {@code load}, {@code backfill}, {@code chaos} or {@code devices}
   * @param summary the JSON summary the command line prints (counts, rates, latencies)
   * @param truth the ground truth read back from {@code --truth}, or {@code null} without it
   */
  public record Result(String mode, Map<String, Object> summary, GroundTruth truth) {}

  private Simulation() {}

  /**
   * Runs one mode to its end and returns what it did. Interrupting the calling thread ends the
   * driving early; the run still writes its truth and returns.
   *
   * @param args the command line, e.g. {@code ["backfill", "--vehicles", "10", "--truth", dir]}
   * @param settings stands in for the environment: the {@code FLEETLINE_*} keys of the local
   *     stack's env file ({@code FLEETLINE_API_URL}, {@code FLEETLINE_INGEST_URL}, {@code
   *     FLEETLINE_OSMAND_URL}, {@code FLEETLINE_TELTONIKA_ADDR}, {@code FLEETLINE_MQTT_URL}, {@code
   *     FLEETLINE_DEMO_CLIENT_ID}, {@code FLEETLINE_DEMO_CLIENT_SECRET}); the process environment
   *     is not read
   * @throws IllegalArgumentException when the arguments are invalid, naming the option
   * @throws IllegalStateException when fleet-api refuses the token or a registration
   */
  public static Result run(List<String> args, Map<String, String> settings) throws Exception {
    return run(SimulatorCommand.parse(args, settings), () -> false);
  }

  /**
   * Starts a run on a thread of its own, for a caller that decides while it goes when it has driven
   * long enough: {@code --duration} then only bounds a run nobody finishes.
   *
   * @param args the command line, as for {@link #run}
   * @param settings stands in for the environment, as for {@link #run}
   * @throws IllegalArgumentException when the arguments are invalid, naming the option
   */
  public static Running start(List<String> args, Map<String, String> settings) throws IOException {
    return new Running(SimulatorCommand.parse(args, settings));
  }

  private static Result run(SimulatorOptions options, BooleanSupplier finishing) throws Exception {
    Map<String, Object> summary = Simulator.execute(options, finishing);
    Path truth = options.truthDir();
    return new Result(options.mode(), summary, truth == null ? null : GroundTruth.read(truth));
  }

  /** A run going on in the background; see {@link #start}. */
  public static final class Running {

    private final AtomicBoolean finishing = new AtomicBoolean();
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private final Thread thread;

    private Running(SimulatorOptions options) {
      thread =
          new Thread(
              () -> {
                try {
                  result.complete(run(options, finishing::get));
                } catch (Throwable e) {
                  result.completeExceptionally(e);
                }
              },
              "simulation-" + options.mode());
      thread.start();
    }

    /**
     * Ends the driving without losing track of anything sent: no upload starts after this, those
     * under way are answered (resent for up to {@code --retry-for}, as always), then the run writes
     * its truth and ends. Every ping ingest took is in the truth, as after a run that ends on its
     * own. For the load, backfill, chaos and demo modes; the devices mode measures its whole {@code
     * --duration} regardless.
     */
    public void finish() {
      finishing.set(true);
    }

    /** Ends the driving at once, as an interrupt of {@link #run}'s caller does. */
    public void cancel() {
      thread.interrupt();
    }

    /** Whether the run has ended, by itself, by {@link #finish}, or by failing. */
    public boolean isDone() {
      return result.isDone();
    }

    /**
     * What the run did, waiting up to {@code timeout} for it to end.
     *
     * @throws Exception what the run failed with, or a {@link
     *     java.util.concurrent.TimeoutException}
     */
    public Result result(Duration timeout) throws Exception {
      try {
        return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw e;
      }
    }
  }
}
