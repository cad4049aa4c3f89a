package io.fleetline.ingest.validation;

import io.fleetline.common.Measurements;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The full rule set on a plausible ping with a few attributes: every rule runs. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PingValidatorBenchmark {

  private final PingValidator validator = new PingValidator(ValidationProperties.defaults());
  private final PingCandidate ping =
      new PingCandidate(
          Instant.now().minusSeconds(10),
          new Measurements(52.52, 13.405, 42.5, 90.0, 34.0, 5.0, 1234.5, true),
          Map.of("batt", 87, "satellites", 11, "externalVoltageV", 12.8));

  @Benchmark
  public Optional<Rejection> validate() {
    return validator.validate(ping);
  }
}
