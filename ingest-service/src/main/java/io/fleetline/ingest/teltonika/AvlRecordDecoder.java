package io.fleetline.ingest.teltonika;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the data field of a Codec 8 or Codec 8 Extended AVL packet — the bytes from the codec id
 * to the second record count, as covered by the packet's length and CRC — into records.
 *
 * <p>All multi-byte fields are big-endian. Layout of the data field:
 *
 * <pre>
 * codec id          1 byte   0x08 or 0x8E
 * number of data 1  1 byte   record count (both codecs)
 * AVL records       …        see {@link #record}
 * number of data 2  1 byte   equal to number of data 1
 * </pre>
 */
final class AvlRecordDecoder {

  static final int CODEC_8 = 0x08;
  static final int CODEC_8_EXTENDED = 0x8E;

  private static final int[] FIXED_VALUE_SIZES = {1, 2, 4, 8};

  private AvlRecordDecoder() {}

  static AvlPacket decode(ByteBuf data) throws MalformedAvlException {
    require(data, 2, "codec id and number of data 1");
    int codecId = data.readUnsignedByte();
    if (codecId != CODEC_8 && codecId != CODEC_8_EXTENDED) {
      throw new MalformedAvlException("unknown codec id 0x" + Integer.toHexString(codecId));
    }
    boolean extended = codecId == CODEC_8_EXTENDED;
    int count = data.readUnsignedByte();
    if (count == 0) {
      throw new MalformedAvlException("number of data 1 is 0");
    }
    List<AvlRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(record(data, extended, i));
    }
    require(data, 1, "number of data 2");
    int count2 = data.readUnsignedByte();
    if (count2 != count) {
      throw new MalformedAvlException(
          "number of data 1 (" + count + ") differs from number of data 2 (" + count2 + ")");
    }
    if (data.isReadable()) {
      throw new MalformedAvlException(data.readableBytes() + " bytes after number of data 2");
    }
    return new AvlPacket(codecId, records);
  }

  /**
   * One record:
   *
   * <pre>
   * timestamp   8 bytes  ms since 1970-01-01T00:00Z, unsigned
   * priority    1 byte   0 low, 1 high, 2 panic
   * GPS element 15 bytes longitude 4 (signed, °×10^7), latitude 4 (signed, °×10^7),
   *                      altitude 2 (signed, m), angle 2 (°), satellites 1, speed 2 (km/h)
   * IO element           Codec 8: ids and counts 1 byte; Codec 8E: 2 bytes
   *   event IO id, total IO count,
   *   N1 count, N1 × (id, 1-byte value), N2 count, N2 × (id, 2-byte value),
   *   N4 count, N4 × (id, 4-byte value), N8 count, N8 × (id, 8-byte value),
   *   Codec 8E only: NX count (2), NX × (id 2, length 2, value of that length)
   * </pre>
   */
  private static AvlRecord record(ByteBuf data, boolean extended, int index)
      throws MalformedAvlException {
    int start = data.readerIndex();
    require(data, 8 + 1 + 15, "record " + index + " header");
    long timestampMs = data.readLong();
    int priority = data.readUnsignedByte();
    int longitudeE7 = data.readInt();
    int latitudeE7 = data.readInt();
    int altitudeM = data.readShort();
    int angleDeg = data.readUnsignedShort();
    int satellites = data.readUnsignedByte();
    int speedKmh = data.readUnsignedShort();

    int idSize = extended ? 2 : 1;
    require(data, 2 * idSize, "record " + index + " event IO id and total IO count");
    int eventIoId = readUnsigned(data, idSize);
    readUnsigned(data, idSize); // total IO count: redundant with the group counts below
    Map<Integer, Number> numbers = new LinkedHashMap<>();
    for (int valueSize : FIXED_VALUE_SIZES) {
      require(data, idSize, "record " + index + " N" + valueSize + " count");
      int n = readUnsigned(data, idSize);
      require(data, n * (idSize + valueSize), "record " + index + " N" + valueSize + " elements");
      for (int i = 0; i < n; i++) {
        int id = readUnsigned(data, idSize);
        numbers.put(id, readValue(data, valueSize));
      }
    }
    Map<Integer, byte[]> variable = new LinkedHashMap<>();
    if (extended) {
      require(data, 2, "record " + index + " NX count");
      int n = data.readUnsignedShort();
      for (int i = 0; i < n; i++) {
        require(data, 4, "record " + index + " NX element header");
        int id = data.readUnsignedShort();
        int length = data.readUnsignedShort();
        require(data, length, "record " + index + " NX element " + id + " value");
        byte[] value = new byte[length];
        data.readBytes(value);
        variable.put(id, value);
      }
    }
    byte[] original = ByteBufUtil.getBytes(data, start, data.readerIndex() - start);
    return new AvlRecord(
        Instant.ofEpochMilli(timestampMs),
        priority,
        longitudeE7,
        latitudeE7,
        altitudeM,
        angleDeg,
        satellites,
        speedKmh,
        eventIoId,
        numbers,
        variable,
        original);
  }

  private static int readUnsigned(ByteBuf data, int size) {
    return size == 1 ? data.readUnsignedByte() : data.readUnsignedShort();
  }

  /** IO values are unsigned; an 8-byte value beyond {@code Long.MAX_VALUE} becomes a BigInteger. */
  private static Number readValue(ByteBuf data, int size) {
    return switch (size) {
      case 1 -> (long) data.readUnsignedByte();
      case 2 -> (long) data.readUnsignedShort();
      case 4 -> data.readUnsignedInt();
      default -> {
        long value = data.readLong();
        yield value >= 0 ? value : new BigInteger(Long.toUnsignedString(value));
      }
    };
  }

  private static void require(ByteBuf data, long bytes, String what) throws MalformedAvlException {
    if (data.readableBytes() < bytes) {
      throw new MalformedAvlException(
          what + " needs " + bytes + " bytes, only " + data.readableBytes() + " left");
    }
  }
}
