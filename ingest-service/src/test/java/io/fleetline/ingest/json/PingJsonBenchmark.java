package io.fleetline.ingest.json;

import io.fleetline.ingest.intake.DecodedPing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Decodes an HTTP batch of {@value #PINGS} JSON pings. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PingJsonBenchmark {

  /** Pings per batch; pings/s is ops/s times this. */
  public static final int PINGS = 1000;

  private byte[] batch;

  @Setup
  public void batch() {
    StringBuilder json = new StringBuilder("[");
    Instant t = Instant.parse("2026-11-26T08:00:00Z");
    for (int i = 0; i < PINGS; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"recordedAt\":\"")
          .append(t.plusSeconds(i))
          .append("\",\"latitude\":")
          .append(52.52 + i * 1e-5)
          .append(",\"longitude\":")
          .append(13.405 + i * 1e-5)
          .append(",\"speedKmh\":42.5,\"headingDeg\":90,\"accuracyM\":5,\"ignition\":true}");
    }
    batch = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public List<DecodedPing> decodeBatch() {
    return PingJson.decode(batch, PINGS);
  }
}
