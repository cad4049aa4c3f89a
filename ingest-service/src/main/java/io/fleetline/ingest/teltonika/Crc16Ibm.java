package io.fleetline.ingest.teltonika;

import io.netty.buffer.ByteBuf;

/**
 * CRC-16/IBM (also called CRC-16/ARC): polynomial 0x8005 processed bit-reflected (0xA001), initial
 * value 0, no final XOR — the checksum Teltonika puts at the end of every AVL data packet.
 */
final class Crc16Ibm {

  private static final int[] TABLE = new int[256];

  static {
    for (int b = 0; b < 256; b++) {
      int crc = b;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
      TABLE[b] = crc;
    }
  }

  private Crc16Ibm() {}

  /** The CRC of {@code length} bytes of {@code buf} from {@code index}, without moving indices. */
  static int of(ByteBuf buf, int index, int length) {
    int crc = 0;
    for (int i = index, end = index + length; i < end; i++) {
      crc = (crc >>> 8) ^ TABLE[(crc ^ buf.getByte(i)) & 0xFF];
    }
    return crc;
  }

  static int of(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc = (crc >>> 8) ^ TABLE[(crc ^ b) & 0xFF];
    }
    return crc;
  }
}
