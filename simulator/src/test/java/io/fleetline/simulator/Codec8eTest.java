package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class Codec8eTest {

  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  @Test
  void crcIsCrc16IbmWithItsStandardCheckValue() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(Crc16Ibm.of(check, 0, check.length)).isEqualTo(0xBB3D);
  }

  @Test
  void encodesTheCodec8ExtendedExampleOfTheTeltonikaDocumentationByteForByte() {
    // Teltonika wiki, "Codec 8 Extended", first example: one record, all-zero GPS element, event IO
    // id 1, IO elements N1 {1: 01}, N2 {17: 001D}, N4 {16: 015E2C88}, N8 {11: ..., 14: ...}.
    Codec8e.AvlRecord record =
        new Codec8e.AvlRecord(
            0x0000016B412CEE00L,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            1,
            List.of(
                new Codec8e.Io(0x0001, 1, 0x01),
                new Codec8e.Io(0x0011, 2, 0x001D),
                new Codec8e.Io(0x0010, 4, 0x015E2C88),
                new Codec8e.Io(0x000B, 8, 0x3544C87AL),
                new Codec8e.Io(0x000E, 8, 0x1DD7E06AL)));

    assertThat(HEX.formatHex(Codec8e.packet(List.of(record))))
        .isEqualTo(
            "00000000" // preamble
                + "0000004A" // data field length: 74
                + "8E" // codec id
                + "01" // number of data 1
                + "0000016B412CEE00" // timestamp
                + "01" // priority
                + "00000000" // longitude
                + "00000000" // latitude
                + "0000" // altitude
                + "0000" // angle
                + "00" // satellites
                + "0000" // speed
                + "0001" // event IO id
                + "0005" // total IO count
                + "0001"
                + "0001"
                + "01" // N1
                + "0001"
                + "0011"
                + "001D" // N2
                + "0001"
                + "0010"
                + "015E2C88" // N4
                + "0002"
                + "000B"
                + "000000003544C87A"
                + "000E"
                + "000000001DD7E06A" // N8
                + "0000" // NX
                + "01" // number of data 2
                + "00002994"); // CRC-16/IBM of the data field
  }

  @Test
  void theImeiMessageIsItsLengthThenTheDigits() {
    assertThat(HEX.formatHex(Codec8e.imei("356307042441013")))
        .isEqualTo("000F333536333037303432343431303133");
  }

  @Test
  void aReadingBecomesARecordInTheDocumentedUnits() {
    Reading reading =
        new Reading(
            Instant.parse("2026-11-26T08:00:00.123Z"),
            52.5200123,
            -13.4050456,
            42.6,
            271.4,
            -12.4,
            5,
            12_345.678,
            true,
            false);
    byte[] packet = Codec8e.packet(List.of(Codec8e.record(reading, false)));
    ByteBuffer in = ByteBuffer.wrap(packet);

    assertThat(in.getInt()).as("preamble").isZero();
    int dataLength = in.getInt();
    assertThat(packet).hasSize(8 + dataLength + 4);
    assertThat(in.get() & 0xFF).as("codec id").isEqualTo(0x8E);
    assertThat(in.get()).as("number of data 1").isEqualTo((byte) 1);
    assertThat(in.getLong()).isEqualTo(reading.recordedAt().toEpochMilli());
    assertThat(in.get()).as("priority").isZero();
    assertThat(in.getInt()).as("longitude × 10^7").isEqualTo(-134050456);
    assertThat(in.getInt()).as("latitude × 10^7").isEqualTo(525200123);
    assertThat(in.getShort()).as("altitude, signed").isEqualTo((short) -12);
    assertThat(in.getShort()).as("angle").isEqualTo((short) 271);
    assertThat(in.get()).as("satellites").isBetween((byte) 9, (byte) 12);
    assertThat(in.getShort()).as("speed km/h").isEqualTo((short) 43);
    assertThat(in.getShort()).as("event IO id").isZero();
    int total = in.getShort();
    int counted = 0;
    java.util.Map<Integer, Long> io = new java.util.HashMap<>();
    for (int size : new int[] {1, 2, 4, 8}) {
      int n = in.getShort();
      counted += n;
      for (int i = 0; i < n; i++) {
        int id = in.getShort();
        long value =
            switch (size) {
              case 1 -> in.get() & 0xFF;
              case 2 -> in.getShort() & 0xFFFF;
              case 4 -> in.getInt() & 0xFFFF_FFFFL;
              default -> in.getLong();
            };
        io.put(id, value);
      }
    }
    assertThat(in.getShort()).as("NX count").isZero();
    assertThat(counted).isEqualTo(total);
    assertThat(io)
        .containsEntry(Codec8e.IO_IGNITION, 1L)
        .containsEntry(Codec8e.IO_MOVEMENT, 1L)
        .containsEntry(Codec8e.IO_TOTAL_ODOMETER_M, 12_345_678L)
        .containsEntry(Codec8e.IO_SPEED_KMH, 43L);
    assertThat(in.get()).as("number of data 2").isEqualTo((byte) 1);
    assertThat(in.getInt()).as("CRC").isEqualTo(Crc16Ibm.of(packet, 8, dataLength));
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void anOdometerBeyondFourBytesTravelsAsAnEightByteElement() {
    Reading reading = new Reading(Instant.EPOCH, 1, 1, 0, 0, 0, 5, 20_000_000, false, false);
    Codec8e.AvlRecord record = Codec8e.record(reading, false);
    assertThat(record.io())
        .contains(new Codec8e.Io(Codec8e.IO_TOTAL_ODOMETER_M, 8, 20_000_000_000L));
  }

  @Test
  void aRecordWithTooManyAttributesCarriesThreeHundredMoreIoElements() {
    Reading reading = new Reading(Instant.EPOCH, 1, 1, 0, 0, 0, 5, 1, false, false);
    assertThat(
            Codec8e.record(reading, true).io().size() - Codec8e.record(reading, false).io().size())
        .isEqualTo(InvalidKind.TOO_MANY_ATTRIBUTES);
  }

  @Test
  void aCorruptedPacketDiffersOnlyInItsCrc() {
    Reading reading = new Reading(Instant.EPOCH, 1, 1, 0, 0, 0, 5, 1, false, false);
    byte[] packet = Codec8e.packet(List.of(Codec8e.record(reading, false)));
    byte[] corrupt = Codec8e.corrupted(packet);
    assertThat(corrupt).hasSameSizeAs(packet);
    for (int i = 0; i < packet.length - 1; i++) {
      assertThat(corrupt[i]).isEqualTo(packet[i]);
    }
    assertThat(corrupt[packet.length - 1]).isNotEqualTo(packet[packet.length - 1]);
  }
}
