package io.fleetline.routing.position;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds the body of a {@code COPY ... (FORMAT binary)}: PostgreSQL's binary tuple format (a
 * signature and header, then per row the field count and each field as its length and its binary
 * send form, big-endian; -1 for NULL; a trailer of -1). Unlike text, nothing is formatted in Java
 * or parsed by the server.
 */
final class CopyRows {

  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  /** 2000-01-01T00:00:00Z, where PostgreSQL counts {@code timestamptz} microseconds from. */
  private static final long POSTGRES_EPOCH_S = 946_684_800L;

  private final ByteArrayOutputStream bytes;
  private final DataOutputStream out;

  CopyRows(int expectedRows) {
    bytes = new ByteArrayOutputStream(expectedRows * 160 + 32);
    out = new DataOutputStream(bytes);
    try {
      out.write(SIGNATURE);
      out.writeInt(0); // flags: no OIDs
      out.writeInt(0); // header extension length
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  CopyRows row(int fields) {
    try {
      out.writeShort(fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  CopyRows uuid(UUID value) {
    try {
      if (value == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(16);
        out.writeLong(value.getMostSignificantBits());
        out.writeLong(value.getLeastSignificantBits());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  CopyRows timestamp(Instant value) {
    try {
      if (value == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(8);
        out.writeLong(postgresMicros(value));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  CopyRows float8(Double value) {
    try {
      if (value == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(8);
        out.writeDouble(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  CopyRows float4(Double value) {
    try {
      if (value == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(4);
        out.writeFloat(value.floatValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * A {@code geometry(Point, 4326)} field: PostGIS receives geometries as EWKB (here big-endian:
   * byte order 0, type Point with the SRID flag, the SRID, then x = longitude and y = latitude).
   */
  CopyRows point(double longitude, double latitude) {
    try {
      out.writeInt(25);
      out.writeByte(0);
      out.writeInt(0x2000_0001);
      out.writeInt(4326);
      out.writeDouble(longitude);
      out.writeDouble(latitude);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  CopyRows bool(Boolean value) {
    try {
      if (value == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(1);
        out.writeByte(value ? 1 : 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  CopyRows text(String value) {
    return utf8(value, false);
  }

  /** A {@code jsonb} field: format version 1, then the JSON text. */
  CopyRows jsonb(String value) {
    return utf8(value, true);
  }

  private CopyRows utf8(String value, boolean jsonb) {
    try {
      if (value == null) {
        out.writeInt(-1);
      } else {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(text.length + (jsonb ? 1 : 0));
        if (jsonb) {
          out.writeByte(1);
        }
        out.write(text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The finished body, with its trailer. */
  byte[] toBytes() {
    try {
      out.writeShort(-1);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Microseconds since PostgreSQL's epoch, rounded exactly as the server rounds the text form
   * {@link Instant#toString} gives ({@code rint(strtod(".fraction") * 1e6)}, half to even on the
   * double), so a ping stores the same key whichever way it was sent.
   */
  static long postgresMicros(Instant instant) {
    long micros;
    int nanos = instant.getNano();
    if (nanos % 1_000 == 0) {
      micros = nanos / 1_000;
    } else {
      char[] text = {'0', '.', '0', '0', '0', '0', '0', '0', '0', '0', '0'};
      for (int i = 10, n = nanos; n > 0; i--, n /= 10) {
        text[i] = (char) ('0' + n % 10);
      }
      double fraction = Double.parseDouble(new String(text));
      micros = (long) Math.rint(fraction * 1_000_000);
    }
    // Exact: an instant beyond some 292,000 years from 2000 has no microsecond count in a long,
    // and must fail rather than wrap to another time (the listener never lets one through).
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond() - POSTGRES_EPOCH_S, 1_000_000L), micros);
  }

  /** The instant a {@code timestamptz} of {@link #postgresMicros} microseconds stands for. */
  static Instant fromPostgresMicros(long micros) {
    return Instant.ofEpochSecond(
        POSTGRES_EPOCH_S + Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
