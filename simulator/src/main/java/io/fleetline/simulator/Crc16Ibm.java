package io.fleetline.simulator;

/**
 * CRC-16/IBM (CRC-16/ARC): polynomial 0x8005 bit-reflected (0xA001), initial value 0, no final XOR;
 * the checksum of a Teltonika AVL packet's data field.
 */
final class Crc16Ibm {

  private Crc16Ibm() {}

  static int of(byte[] bytes, int offset, int length) {
    int crc = 0;
    for (int i = offset; i < offset + length; i++) {
      crc ^= bytes[i] & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
    }
    return crc;
  }
}
