package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TeltonikaFrameDecoderTest {

  static final String IMEI = "356307042441013";
  static final Instant T = Instant.parse("2026-11-26T08:00:00Z");

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final EmbeddedChannel channel =
      new EmbeddedChannel(new TeltonikaFrameDecoder(64 * 1024, new TeltonikaMetrics(meters)));

  @AfterEach
  void release() {
    channel.finishAndReleaseAll();
  }

  static byte[] twoRecordPacket() {
    return AvlFrames.codec8(
        AvlFrames.Record.at(T, 52.52, 13.405).io(1, 239, 1),
        AvlFrames.Record.at(T.plusSeconds(10), 52.53, 13.41).io(2, 66, 12_000));
  }

  void send(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
  }

  double frames(String result) {
    return meters.counter("fleetline.ingest.teltonika.frames", "result", result).count();
  }

  @Test
  void imeiAndAPacketDeliveredByteByByteComeOutWhole() {
    byte[] stream = AvlFrames.concat(AvlFrames.imei(IMEI), twoRecordPacket());

    for (byte b : stream) {
      send(new byte[] {b});
    }

    assertThat((Object) channel.readInbound()).isEqualTo(new ImeiMessage(IMEI));
    AvlPacket packet = channel.readInbound();
    assertThat(packet.codecId()).isEqualTo(0x08);
    assertThat(packet.records()).hasSize(2);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isTrue();
    assertThat(frames("ok")).isEqualTo(1);
  }

  @Test
  void twoPacketsInOneBufferComeOutAsTwo() {
    byte[] codec8e = AvlFrames.codec8e(AvlFrames.Record.at(T, 1, 1));
    send(AvlFrames.concat(AvlFrames.imei(IMEI), twoRecordPacket(), codec8e));

    channel.readInbound();
    assertThat(((AvlPacket) channel.readInbound()).records()).hasSize(2);
    assertThat(((AvlPacket) channel.readInbound()).codecId()).isEqualTo(0x8E);
    assertThat(frames("ok")).isEqualTo(2);
  }

  @Test
  void aTruncatedPacketWaitsForTheRest() {
    byte[] packet = twoRecordPacket();
    send(AvlFrames.imei(IMEI));
    channel.readInbound();

    send(Arrays.copyOf(packet, packet.length - 5));

    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isTrue();

    send(Arrays.copyOfRange(packet, packet.length - 5, packet.length));

    assertThat(((AvlPacket) channel.readInbound()).records()).hasSize(2);
  }

  @Test
  void aWrongCrcClosesTheConnectionWithoutEmittingThePacket() {
    send(AvlFrames.concat(AvlFrames.imei(IMEI), AvlFrames.withBadCrc(twoRecordPacket())));

    assertThat((Object) channel.readInbound()).isInstanceOf(ImeiMessage.class);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(frames("crc_error")).isEqualTo(1);
  }

  @Test
  void aNonZeroPreambleClosesAtOnce() {
    send(AvlFrames.imei(IMEI));
    channel.readInbound();

    send("GET".getBytes(StandardCharsets.US_ASCII));

    assertThat(channel.isOpen()).isFalse();
    assertThat(frames("malformed")).isEqualTo(1);
  }

  @Test
  void somethingOtherThanAnImeiClosesAtOnce() {
    send("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));

    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void anImeiThatIsNotDigitsCloses() {
    send(AvlFrames.imei("35630704244101X"));

    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void anOversizePacketClosesAsSoonAsItsLengthIsKnown() {
    send(AvlFrames.imei(IMEI));
    channel.readInbound();

    // preamble, then a data field length of 1 MiB; the rest never needs to arrive
    send(new byte[] {0, 0, 0, 0, 0x00, 0x10, 0x00, 0x00});

    assertThat(channel.isOpen()).isFalse();
    assertThat(frames("oversize")).isEqualTo(1);
  }

  @Test
  void aLengthTooShortForOneRecordCloses() {
    send(AvlFrames.imei(IMEI));
    channel.readInbound();

    send(new byte[] {0, 0, 0, 0, 0, 0, 0, 3});

    assertThat(channel.isOpen()).isFalse();
    assertThat(frames("malformed")).isEqualTo(1);
  }

  @Test
  void anUnknownCodecClosesBeforeTheBodyArrives() {
    send(AvlFrames.imei(IMEI));
    channel.readInbound();

    // Codec 12 (0x0C) is for server commands, never device data.
    send(new byte[] {0, 0, 0, 0, 0, 0, 0, 40, 0x0C});

    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aPacketWithAGoodCrcButBrokenRecordsIsPassedOnWholeAndTheConnectionStaysOpen() {
    byte[] record = AvlFrames.Record.at(T, 1, 1).encode(false);
    byte[] broken = AvlFrames.packet(0x08, 1, record, 2);
    send(
        AvlFrames.concat(
            AvlFrames.imei(IMEI), broken, AvlFrames.codec8(AvlFrames.Record.at(T, 1, 1))));

    assertThat((Object) channel.readInbound()).isInstanceOf(ImeiMessage.class);
    UndecodableAvlPacket undecodable = channel.readInbound();
    assertThat(undecodable.frame()).isEqualTo(broken);
    assertThat(undecodable.declaredRecords()).isEqualTo(1);
    assertThat(undecodable.detail()).isNotBlank();
    assertThat((Object) channel.readInbound()).as("the next packet").isInstanceOf(AvlPacket.class);
    assertThat(channel.isOpen()).isTrue();
    assertThat(frames("undecodable")).isEqualTo(1);
  }

  @Test
  void aPacketDeclaringNoRecordsClosesEvenWithAGoodCrc() {
    byte[] record = AvlFrames.Record.at(T, 1, 1).encode(false);
    send(AvlFrames.concat(AvlFrames.imei(IMEI), AvlFrames.packet(0x08, 0, record, 0)));

    assertThat((Object) channel.readInbound()).isInstanceOf(ImeiMessage.class);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(frames("malformed")).isEqualTo(1);
  }
}
