package io.fleetline.ingest.teltonika;

/**
 * An AVL data packet whose CRC matched but whose records do not follow the documented layout: the
 * device sent exactly these bytes on purpose, so resending them will never help. It is kept in the
 * rejected topic and acknowledged with the record count the device declared, so that one packet a
 * firmware got wrong does not block every later one in the device's queue.
 *
 * @param frame the whole packet as received, preamble to CRC
 * @param declaredRecords the packet's first record count, which the device expects back
 * @param detail what did not follow the layout
 */
record UndecodableAvlPacket(byte[] frame, int declaredRecords, String detail) {}
