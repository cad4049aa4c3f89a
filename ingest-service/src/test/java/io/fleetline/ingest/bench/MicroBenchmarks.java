package io.fleetline.ingest.bench;

import io.fleetline.ingest.json.PingJsonBenchmark;
import io.fleetline.ingest.publish.PingEncodingBenchmark;
import io.fleetline.ingest.teltonika.TeltonikaDecodeBenchmark;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs ingest's JMH benchmarks (one thread, so figures are per core) and prints them as the units
 * that matter: Teltonika records/s, validated pings/s, JSON pings decoded/s, Kafka payloads
 * encoded/s. An optional argument selects benchmarks by a regular expression.
 */
public final class MicroBenchmarks {

  private MicroBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(args.length > 0 ? args[0] : "io\\.fleetline\\.ingest\\..*Benchmark")
                    .forks(1)
                    .threads(1)
                    .warmupIterations(3)
                    .warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5)
                    .measurementTime(TimeValue.seconds(2))
                    .build())
            .run();
    System.out.println();
    System.out.println("Per core:");
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      double opsPerSecond = result.getPrimaryResult().getScore();
      double error = result.getPrimaryResult().getScoreError();
      double perOp = 1;
      String unit = "ops/s";
      if (name.contains("TeltonikaDecode")) {
        perOp = TeltonikaDecodeBenchmark.RECORDS;
        unit = "Teltonika records/s (CRC + decode + mapping)";
      } else if (name.contains("PingJson")) {
        perOp = PingJsonBenchmark.PINGS;
        unit = "JSON pings decoded/s";
      } else if (name.contains("PingEncoding")) {
        perOp = PingEncodingBenchmark.PINGS;
        unit = "pings encoded/s (" + name.substring(name.lastIndexOf('.') + 1) + ")";
      } else if (name.contains("Validator")) {
        unit = "pings validated/s";
      }
      System.out.printf(
          Locale.ROOT, "  %,14.0f ± %,.0f  %s%n", opsPerSecond * perOp, error * perOp, unit);
    }
  }
}
