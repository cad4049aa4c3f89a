package io.fleetline.ingest.teltonika;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decodes a typical Codec 8E packet of {@value #RECORDS} records (CRC check, record decoding,
 * mapping to ping candidates): the work per packet on the event loop and intake thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TeltonikaDecodeBenchmark {

  /** Records per packet; the benchmark's records/s is its ops/s times this. */
  public static final int RECORDS = 25;

  private byte[] packet;

  @Setup
  public void packet() {
    AvlFrames.Record[] records = new AvlFrames.Record[RECORDS];
    Instant t = Instant.parse("2026-11-26T08:00:00Z");
    for (int i = 0; i < RECORDS; i++) {
      records[i] =
          AvlFrames.Record.at(t.plusSeconds(i), 52.52 + i * 1e-4, 13.405 + i * 1e-4)
              .gps(34, 90, 11, 48)
              .event(239)
              .io(1, 239, 1)
              .io(1, 240, 1)
              .io(1, 21, 4)
              .io(1, 69, 1)
              .io(2, 66, 12_800)
              .io(2, 67, 4_100)
              .io(2, 24, 48)
              .io(4, 16, 1_234_567)
              .io(4, 199, 3_456)
              .io(8, 78, 0x1234567890L);
    }
    packet = AvlFrames.codec8e(records);
  }

  @Benchmark
  public List<Object> decodePacket() throws MalformedAvlException {
    ByteBuf buf = Unpooled.wrappedBuffer(packet);
    int dataLength = buf.getInt(4);
    int crc = buf.getInt(8 + dataLength);
    if (Crc16Ibm.of(buf, 8, dataLength) != crc) {
      throw new IllegalStateException("bad CRC in the benchmark packet");
    }
    AvlPacket decoded = AvlRecordDecoder.decode(buf.slice(8, dataLength));
    List<Object> candidates = new ArrayList<>(decoded.records().size());
    for (AvlRecord record : decoded.records()) {
      candidates.add(AvlPingMapper.toCandidate(record));
    }
    return candidates;
  }
}
