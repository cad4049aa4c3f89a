package io.fleetline.ingest.publish;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Measurements;
import io.fleetline.common.PingCodec;
import io.fleetline.common.VehiclePing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encodes the Kafka payloads of an upload of {@value #PINGS} pings: the streaming codec ingest uses
 * against the generic mapper it replaced.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PingEncodingBenchmark {

  /** Pings per upload; pings/s is ops/s times this. */
  public static final int PINGS = 1000;

  private final List<VehiclePing> pings = new ArrayList<>();

  @Setup
  public void upload() {
    UUID vehicle = UUID.randomUUID();
    UUID fleet = UUID.randomUUID();
    UUID device = UUID.randomUUID();
    Instant received = Instant.parse("2026-11-26T08:30:00.123Z");
    for (int i = 0; i < PINGS; i++) {
      pings.add(
          new VehiclePing(
              VehiclePing.CURRENT_VERSION,
              vehicle,
              fleet,
              device,
              "http",
              Instant.parse("2026-11-26T08:00:00Z").plusSeconds(i),
              received,
              new Measurements(
                  52.52 + i * 1e-5, 13.405 + i * 1e-5, 42.5, 90.0, null, 5.0, null, true),
              Map.of()));
    }
  }

  @Benchmark
  public void codec(Blackhole sink) {
    for (VehiclePing ping : pings) {
      sink.consume(PingCodec.write(ping));
    }
  }

  @Benchmark
  public void mapper(Blackhole sink) {
    for (VehiclePing ping : pings) {
      sink.consume(FleetlineJson.write(ping));
    }
  }
}
