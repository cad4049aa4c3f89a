package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvlRecordDecoderTest {

  static final Instant T = Instant.parse("2026-11-26T08:00:00.123Z");

  /** The data field of a packet: codec id .. number of data 2 (no preamble, length or CRC). */
  static ByteBuf dataField(byte[] packet) {
    return Unpooled.wrappedBuffer(Arrays.copyOfRange(packet, 8, packet.length - 4));
  }

  @Test
  void codec8RecordDecodesEveryFieldOfTheLayout() throws Exception {
    byte[] packet =
        AvlFrames.codec8(
            AvlFrames.Record.at(T, 54.6872, 25.2797)
                .gps(120, 275, 11, 63)
                .priority(1)
                .event(239)
                .io(1, 239, 1)
                .io(1, 21, 4)
                .io(2, 66, 12_850)
                .io(4, 16, 1_234_567)
                .io(8, 78, 0x0102030405060708L));

    AvlPacket decoded = AvlRecordDecoder.decode(dataField(packet));

    assertThat(decoded.codecId()).isEqualTo(0x08);
    assertThat(decoded.records()).hasSize(1);
    AvlRecord r = decoded.records().get(0);
    assertThat(r.recordedAt()).isEqualTo(T);
    assertThat(r.priority()).isEqualTo(1);
    assertThat(r.latitudeE7()).isEqualTo(546_872_000);
    assertThat(r.longitudeE7()).isEqualTo(252_797_000);
    assertThat(r.altitudeM()).isEqualTo(120);
    assertThat(r.angleDeg()).isEqualTo(275);
    assertThat(r.satellites()).isEqualTo(11);
    assertThat(r.speedKmh()).isEqualTo(63);
    assertThat(r.eventIoId()).isEqualTo(239);
    assertThat(r.numbers())
        .containsExactly(
            Map.entry(239, 1L),
            Map.entry(21, 4L),
            Map.entry(66, 12_850L),
            Map.entry(16, 1_234_567L),
            Map.entry(78, 0x0102030405060708L));
    assertThat(r.variable()).isEmpty();
  }

  @Test
  void codec8ExtendedDecodesTwoByteIdsAndVariableLengthElements() throws Exception {
    byte[] packet =
        AvlFrames.codec8e(
            AvlFrames.Record.at(T, -33.8688, 151.2093)
                .event(385)
                .io(1, 239, 0)
                .io(2, 1_000, 65_535)
                .io(4, 199, 4_294_967_295L)
                .ioBytes(385, new byte[] {0x11, 0x22, (byte) 0xAB})
                .ioBytes(10_000, new byte[0]));

    AvlPacket decoded = AvlRecordDecoder.decode(dataField(packet));

    assertThat(decoded.codecId()).isEqualTo(0x8E);
    AvlRecord r = decoded.records().get(0);
    assertThat(r.eventIoId()).isEqualTo(385);
    assertThat(r.latitudeE7()).isEqualTo(-338_688_000);
    assertThat(r.numbers()).containsEntry(239, 0L).containsEntry(1_000, 65_535L);
    assertThat(r.numbers()).containsEntry(199, 4_294_967_295L);
    assertThat(r.variable()).containsOnlyKeys(385, 10_000);
    assertThat(r.variable().get(385)).containsExactly(0x11, 0x22, 0xAB);
  }

  @Test
  void multiRecordPacketKeepsOrderAndEachRecordsOriginalBytes() throws Exception {
    AvlFrames.Record first = AvlFrames.Record.at(T, 52.52, 13.405).io(1, 239, 1);
    AvlFrames.Record second = AvlFrames.Record.at(T.plusSeconds(30), 52.53, 13.41);
    AvlFrames.Record third = AvlFrames.Record.at(T.plusSeconds(60), 52.54, 13.42).io(2, 67, 4_100);

    AvlPacket decoded = AvlRecordDecoder.decode(dataField(AvlFrames.codec8e(first, second, third)));

    assertThat(decoded.records())
        .extracting(AvlRecord::recordedAt)
        .containsExactly(T, T.plusSeconds(30), T.plusSeconds(60));
    assertThat(decoded.records().get(0).original()).isEqualTo(first.encode(true));
    assertThat(decoded.records().get(2).original()).isEqualTo(third.encode(true));
  }

  @Test
  void theWikisCodec8ExtendedExampleDecodes() throws Exception {
    byte[] packet = HexFormat.of().parseHex(TeltonikaExamples.WIKI_CODEC_8E);

    AvlRecord r = AvlRecordDecoder.decode(dataField(packet)).records().get(0);

    assertThat(r.recordedAt()).isEqualTo(Instant.ofEpochMilli(0x16B412CEE00L));
    assertThat(r.priority()).isEqualTo(1);
    assertThat(r.satellites()).isZero();
    assertThat(r.eventIoId()).isEqualTo(1);
    assertThat(r.numbers())
        .containsEntry(1, 1L)
        .containsEntry(17, 0x1DL)
        .containsEntry(16, 0x015E2C88L)
        .containsEntry(11, 0x3544C87AL)
        .containsEntry(14, 0x1DD7E06AL)
        .hasSize(5);
  }

  @Test
  void eightByteValuesAboveLongMaxStayUnsigned() throws Exception {
    byte[] packet = AvlFrames.codec8(AvlFrames.Record.at(T, 1, 1).io(8, 78, -1L));

    AvlRecord r = AvlRecordDecoder.decode(dataField(packet)).records().get(0);

    assertThat(r.numbers().get(78)).isEqualTo(new BigInteger("18446744073709551615"));
  }

  @Test
  void differingRecordCountsAreMalformed() {
    byte[] record = AvlFrames.Record.at(T, 1, 1).encode(false);
    byte[] packet = AvlFrames.packet(0x08, 1, record, 2);

    assertThatThrownBy(() -> AvlRecordDecoder.decode(dataField(packet)))
        .isInstanceOf(MalformedAvlException.class)
        .hasMessageContaining("differs");
  }

  @Test
  void aCountPromisingMoreRecordsThanTheBytesHoldIsMalformed() {
    byte[] record = AvlFrames.Record.at(T, 1, 1).encode(false);
    byte[] packet = AvlFrames.packet(0x08, 2, record, 2);

    assertThatThrownBy(() -> AvlRecordDecoder.decode(dataField(packet)))
        .isInstanceOf(MalformedAvlException.class)
        .hasMessageContaining("record 1");
  }

  @Test
  void anIoCountBeyondTheRecordIsMalformed() {
    byte[] record = AvlFrames.Record.at(T, 1, 1).io(1, 239, 1).encode(false);
    record[record.length - 6] = (byte) 200; // N1 count: 200 elements where there is one
    byte[] packet = AvlFrames.packet(0x08, 1, record, 1);

    assertThatThrownBy(() -> AvlRecordDecoder.decode(dataField(packet)))
        .isInstanceOf(MalformedAvlException.class)
        .hasMessageContaining("N1 elements");
  }

  @Test
  void bytesAfterTheSecondCountAreMalformed() {
    byte[] record = AvlFrames.Record.at(T, 1, 1).encode(false);
    byte[] packet = AvlFrames.packet(0x08, 1, AvlFrames.concat(record, new byte[] {1}), 1);

    assertThatThrownBy(() -> AvlRecordDecoder.decode(dataField(packet)))
        .isInstanceOf(MalformedAvlException.class);
  }

  @Test
  void codec8ParsingOfAnExtendedPacketDoesNotPass() {
    byte[] record = AvlFrames.Record.at(T, 1, 1).io(2, 66, 12_000).encode(true);
    byte[] packet = AvlFrames.packet(0x08, 1, record, 1);

    assertThatThrownBy(() -> AvlRecordDecoder.decode(dataField(packet)))
        .isInstanceOf(MalformedAvlException.class);
  }
}
