package io.fleetline.ingest.teltonika;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds Teltonika messages byte by byte from the documented layout (Teltonika wiki, "Codec"), with
 * its own bit-by-bit CRC, independent of the production code.
 */
final class AvlFrames {

  private AvlFrames() {}

  /** IMEI message: length 2 bytes big-endian, then the IMEI in ASCII. */
  static byte[] imei(String imei) {
    return write(
        out -> {
          out.writeShort(imei.length());
          out.write(imei.getBytes(StandardCharsets.US_ASCII));
        });
  }

  /** A Codec 8 (0x08) AVL data packet with these records. */
  static byte[] codec8(Record... records) {
    return packet(0x08, records.length, encodeAll(records, false), records.length);
  }

  /** A Codec 8 Extended (0x8E) AVL data packet with these records. */
  static byte[] codec8e(Record... records) {
    return packet(0x8E, records.length, encodeAll(records, true), records.length);
  }

  /**
   * preamble 4 zero bytes | data field length 4 | codec id 1 | number of data 1 | records | number
   * of data 2 | CRC 4 (two zero bytes, then CRC-16/IBM of codec id .. number of data 2).
   */
  static byte[] packet(int codecId, int count1, byte[] records, int count2) {
    byte[] data =
        write(
            out -> {
              out.writeByte(codecId);
              out.writeByte(count1);
              out.write(records);
              out.writeByte(count2);
            });
    return write(
        out -> {
          out.writeInt(0);
          out.writeInt(data.length);
          out.write(data);
          out.writeInt(crc16Ibm(data));
        });
  }

  /** The same packet with one bit of its CRC flipped. */
  static byte[] withBadCrc(byte[] packet) {
    byte[] copy = packet.clone();
    copy[copy.length - 1] ^= 0x01;
    return copy;
  }

  /** CRC-16/IBM bit by bit: reflected polynomial 0xA001, initial value 0. */
  static int crc16Ibm(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc ^= b & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
    }
    return crc;
  }

  static byte[] concat(byte[]... parts) {
    return write(
        out -> {
          for (byte[] part : parts) {
            out.write(part);
          }
        });
  }

  private static byte[] encodeAll(Record[] records, boolean extended) {
    return write(
        out -> {
          for (Record r : records) {
            out.write(r.encode(extended));
          }
        });
  }

  /** One AVL record; IO elements are grouped by value size when encoded. */
  static final class Record {
    long timestampMs;
    int priority;
    int longitudeE7;
    int latitudeE7;
    int altitudeM;
    int angleDeg;
    int satellites;
    int speedKmh;
    int eventIoId;
    final List<long[]> io = new ArrayList<>(); // {size, id, value}
    final List<Object[]> variable = new ArrayList<>(); // {id, bytes}

    static Record at(Instant time, double latitude, double longitude) {
      Record r = new Record();
      r.timestampMs = time.toEpochMilli();
      r.latitudeE7 = (int) Math.round(latitude * 1e7);
      r.longitudeE7 = (int) Math.round(longitude * 1e7);
      r.satellites = 9;
      return r;
    }

    Record gps(int altitudeM, int angleDeg, int satellites, int speedKmh) {
      this.altitudeM = altitudeM;
      this.angleDeg = angleDeg;
      this.satellites = satellites;
      this.speedKmh = speedKmh;
      return this;
    }

    Record priority(int priority) {
      this.priority = priority;
      return this;
    }

    Record event(int ioId) {
      this.eventIoId = ioId;
      return this;
    }

    /** A fixed-size IO element: {@code size} is 1, 2, 4 or 8 bytes. */
    Record io(int size, int id, long value) {
      io.add(new long[] {size, id, value});
      return this;
    }

    /** A variable-length IO element (Codec 8 Extended only). */
    Record ioBytes(int id, byte[] value) {
      variable.add(new Object[] {id, value});
      return this;
    }

    /**
     * timestamp 8 | priority 1 | longitude 4 | latitude 4 | altitude 2 | angle 2 | satellites 1 |
     * speed 2 | IO element (ids and counts 1 byte in Codec 8, 2 bytes in Codec 8E).
     */
    byte[] encode(boolean extended) {
      return write(
          out -> {
            out.writeLong(timestampMs);
            out.writeByte(priority);
            out.writeInt(longitudeE7);
            out.writeInt(latitudeE7);
            out.writeShort(altitudeM);
            out.writeShort(angleDeg);
            out.writeByte(satellites);
            out.writeShort(speedKmh);
            writeId(out, eventIoId, extended);
            writeId(out, io.size() + (extended ? variable.size() : 0), extended);
            for (int size : new int[] {1, 2, 4, 8}) {
              List<long[]> group = io.stream().filter(e -> e[0] == size).toList();
              writeId(out, group.size(), extended);
              for (long[] e : group) {
                writeId(out, (int) e[1], extended);
                switch (size) {
                  case 1 -> out.writeByte((int) e[2]);
                  case 2 -> out.writeShort((int) e[2]);
                  case 4 -> out.writeInt((int) e[2]);
                  default -> out.writeLong(e[2]);
                }
              }
            }
            if (extended) {
              out.writeShort(variable.size());
              for (Object[] e : variable) {
                byte[] value = (byte[]) e[1];
                out.writeShort((Integer) e[0]);
                out.writeShort(value.length);
                out.write(value);
              }
            }
          });
    }

    private static void writeId(DataOutputStream out, int value, boolean extended)
        throws IOException {
      if (extended) {
        out.writeShort(value);
      } else {
        out.writeByte(value);
      }
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
