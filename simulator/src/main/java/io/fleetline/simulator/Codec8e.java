package io.fleetline.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes Teltonika Codec 8 Extended messages from the documented layout (Teltonika wiki, "Codec 8
 * Extended"). All multi-byte fields are big-endian.
 *
 * <pre>
 * IMEI message   length 2 | IMEI, ASCII digits
 * AVL packet     preamble 4 (0) | data field length 4 | data field | CRC 4 (2 zero bytes, then the
 *                CRC-16/IBM of the data field)
 * data field     codec id 1 (0x8E) | number of data 1 (1) | AVL records | number of data 2 (1)
 * AVL record     timestamp 8 (ms since epoch) | priority 1 | GPS element 15 | IO element
 * GPS element    longitude 4 | latitude 4 (signed, degrees × 10^7) | altitude 2 (signed, m) |
 *                angle 2 (degrees) | satellites 1 | speed 2 (km/h)
 * IO element     event IO id 2 | total IO count 2 | N1 2, N1 × (id 2, value 1) | N2 2, N2 × (id 2,
 *                value 2) | N4 2, N4 × (id 2, value 4) | N8 2, N8 × (id 2, value 8) |
 *                NX 2, NX × (id 2, length 2, value)
 * </pre>
 */
final class Codec8e {

  static final int CODEC_ID = 0x8E;
  static final int MAX_RECORDS = 255;

  // AVL ids (Teltonika FMB parameter list)
  static final int IO_IGNITION = 239;
  static final int IO_MOVEMENT = 240;
  static final int IO_GSM_SIGNAL = 21;
  static final int IO_GNSS_STATUS = 69;
  static final int IO_SPEED_KMH = 24;
  static final int IO_EXTERNAL_VOLTAGE_MV = 66;
  static final int IO_BATTERY_VOLTAGE_MV = 67;
  static final int IO_TOTAL_ODOMETER_M = 16;

  /** First id of the filler elements that make a record carry too many attributes. */
  static final int IO_FILLER_FIRST = 1000;

  private Codec8e() {}

  /** One IO element: {@code size} 1, 2, 4 or 8 bytes. */
  record Io(int id, int size, long value) {}

  /** One AVL record as it goes on the wire. */
  record AvlRecord(
      long timestampMs,
      int priority,
      int longitudeE7,
      int latitudeE7,
      int altitudeM,
      int angleDeg,
      int satellites,
      int speedKmh,
      int eventIoId,
      List<Io> io) {}

  static byte[] imei(String imei) {
    byte[] digits = imei.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(2 + digits.length)
        .putShort((short) digits.length)
        .put(digits)
        .array();
  }

  /** The AVL record a tracker would send for this reading. */
  static AvlRecord record(Reading r, boolean tooManyAttributes) {
    List<Io> io = new ArrayList<>();
    io.add(new Io(IO_IGNITION, 1, r.ignition() ? 1 : 0));
    io.add(new Io(IO_MOVEMENT, 1, r.speedKmh() > 0 ? 1 : 0));
    io.add(new Io(IO_GSM_SIGNAL, 1, 4));
    io.add(new Io(IO_GNSS_STATUS, 1, 1));
    io.add(new Io(IO_SPEED_KMH, 2, speedKmh(r)));
    io.add(new Io(IO_EXTERNAL_VOLTAGE_MV, 2, r.ignition() ? 13_800 : 12_400));
    io.add(new Io(IO_BATTERY_VOLTAGE_MV, 2, 4_100));
    long odometerM = Math.round(r.odometerKm() * 1000);
    io.add(new Io(IO_TOTAL_ODOMETER_M, odometerM > 0xFFFF_FFFFL ? 8 : 4, odometerM));
    if (tooManyAttributes) {
      for (int i = 0; i < InvalidKind.TOO_MANY_ATTRIBUTES; i++) {
        io.add(new Io(IO_FILLER_FIRST + i, 1, i & 0xFF));
      }
    }
    return new AvlRecord(
        r.recordedAt().toEpochMilli(),
        0,
        (int) Math.round(r.longitude() * 1e7),
        (int) Math.round(r.latitude() * 1e7),
        (int) Math.round(r.altitudeM()),
        (int) Math.round(r.headingDeg()),
        r.gpsJump() ? 3 : 9 + (int) Math.floorMod(r.recordedAt().getEpochSecond(), 4L),
        speedKmh(r),
        0,
        io);
  }

  private static int speedKmh(Reading r) {
    return (int) Math.min(0xFFFF, Math.max(0, Math.round(r.speedKmh())));
  }

  /** An AVL data packet of these records (at most {@value #MAX_RECORDS}). */
  static byte[] packet(List<AvlRecord> records) {
    if (records.isEmpty() || records.size() > MAX_RECORDS) {
      throw new IllegalArgumentException("1 to 255 records per packet, got " + records.size());
    }
    int dataLength = 3;
    for (AvlRecord r : records) {
      dataLength += recordLength(r);
    }
    ByteBuffer out = ByteBuffer.allocate(8 + dataLength + 4);
    out.putInt(0); // preamble
    out.putInt(dataLength);
    out.put((byte) CODEC_ID);
    out.put((byte) records.size());
    for (AvlRecord r : records) {
      writeRecord(out, r);
    }
    out.put((byte) records.size());
    out.putInt(Crc16Ibm.of(out.array(), 8, dataLength));
    return out.array();
  }

  /** The same packet with its CRC off by one bit: a corrupt packet ingest must not acknowledge. */
  static byte[] corrupted(byte[] packet) {
    byte[] copy = packet.clone();
    copy[copy.length - 1] ^= 0x01;
    return copy;
  }

  private static int recordLength(AvlRecord r) {
    int length = 8 + 1 + 15 + 2 + 2 + 4 * 2 + 2; // header, GPS, event id, total, N1..N8, NX
    for (Io io : r.io()) {
      length += 2 + io.size();
    }
    return length;
  }

  private static void writeRecord(ByteBuffer out, AvlRecord r) {
    out.putLong(r.timestampMs());
    out.put((byte) r.priority());
    out.putInt(r.longitudeE7());
    out.putInt(r.latitudeE7());
    out.putShort((short) r.altitudeM());
    out.putShort((short) r.angleDeg());
    out.put((byte) r.satellites());
    out.putShort((short) r.speedKmh());
    out.putShort((short) r.eventIoId());
    out.putShort((short) r.io().size());
    for (int size : new int[] {1, 2, 4, 8}) {
      List<Io> group = r.io().stream().filter(io -> io.size() == size).toList();
      out.putShort((short) group.size());
      for (Io io : group) {
        out.putShort((short) io.id());
        switch (size) {
          case 1 -> out.put((byte) io.value());
          case 2 -> out.putShort((short) io.value());
          case 4 -> out.putInt((int) io.value());
          default -> out.putLong(io.value());
        }
      }
    }
    out.putShort((short) 0); // NX: no variable-length elements
  }
}
