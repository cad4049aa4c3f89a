package io.fleetline.ingest.teltonika;

import java.util.List;

/**
 * One complete AVL data packet whose CRC matched, with its records decoded.
 *
 * @param codecId {@code 0x08} (Codec 8) or {@code 0x8E} (Codec 8 Extended)
 */
record AvlPacket(int codecId, List<AvlRecord> records) {}
