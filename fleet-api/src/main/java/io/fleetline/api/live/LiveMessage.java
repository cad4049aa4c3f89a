package io.fleetline.api.live;

/**
 * One message of a fleet's live stream; {@code seq} orders all messages of this instance, and a
 * negative {@code seq} marks a keep-alive comment. A message read from Kafka names its record
 * ({@code ping} topic or not, {@code partition}, {@code offset}) and carries as {@code id} the
 * feed's position right after it.
 */
record LiveMessage(
    long seq, String event, String data, String id, boolean ping, int partition, long offset) {

  static final LiveMessage HEARTBEAT = new LiveMessage(-1, null, null, null, false, -1, -1);

  /** A message of this instance's own, not of a record: it covers no offset. */
  static LiveMessage notice(long seq, String event, String data, String id) {
    return new LiveMessage(seq, event, data, id, false, -1, -1);
  }

  /** Whether this message comes from a record at or past {@code position}. */
  boolean atOrAfter(FeedPosition position) {
    return partition >= 0 && offset >= position.of(ping, partition);
  }
}
