package io.fleetline.simulator;

import io.fleetline.simulator.truth.GroundTruth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
    SimulatorOptions options = SimulatorCommand.parse(args, settings);
    Map<String, Object> summary = Simulator.execute(options);
    Path truth = options.truthDir();
    return new Result(options.mode(), summary, truth == null ? null : GroundTruth.read(truth));
  }
}
