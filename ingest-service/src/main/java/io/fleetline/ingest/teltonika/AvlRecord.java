package io.fleetline.ingest.teltonika;

import java.time.Instant;
import java.util.Map;

/**
 * One AVL record as the device encoded it, in the device's units, before any mapping to a ping.
 *
 * @param priority 0 low, 1 high, 2 panic
 * @param longitudeE7 degrees × 10^7, negative west
 * @param latitudeE7 degrees × 10^7, negative south
 * @param angleDeg heading, 0 is north, clockwise
 * @param speedKmh GNSS speed, 0 when the fix is invalid
 * @param eventIoId the IO element that triggered this record, 0 for a periodic record
 * @param numbers fixed-size IO elements (1, 2, 4 or 8 bytes) by IO id, in packet order
 * @param variable variable-length IO elements (Codec 8 Extended only) by IO id
 * @param original the record's bytes as sent, for the rejected topic
 */
record AvlRecord(
    Instant recordedAt,
    int priority,
    int longitudeE7,
    int latitudeE7,
    int altitudeM,
    int angleDeg,
    int satellites,
    int speedKmh,
    int eventIoId,
    Map<Integer, Number> numbers,
    Map<Integer, byte[]> variable,
    byte[] original) {}
