package io.fleetline.api.live;

/**
 * One message of a fleet's live stream; {@code seq} orders all messages of this instance, and a
 * negative {@code seq} marks a keep-alive comment.
 */
record LiveMessage(long seq, String event, String data) {

  static final LiveMessage HEARTBEAT = new LiveMessage(-1, null, null);
}
