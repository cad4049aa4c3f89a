package io.fleetline.ingest.publish;

import io.fleetline.ingest.validation.Rejection;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A ping that failed validation, kept with (the start of) the bytes the device sent so that nothing
 * is dropped silently. {@code key} is the vehicle id when the device is known, else the device
 * identifier. {@code original} holds at most the configured excerpt; {@code originalLength} is how
 * long the item really was, so a reader can tell an excerpt from the whole.
 */
public record RejectedPing(
    String key,
    byte[] original,
    int originalLength,
    Rejection rejection,
    String protocol,
    Instant receivedAt,
    UUID fleetId) {

  /** Header of a rejected record whose value is an excerpt: the original length in bytes. */
  public static final String TRUNCATED_HEADER = "fleetline-original-truncated";

  /** The longest record key kept; an identifier no device could be registered with is cut. */
  static final int MAX_KEY_CHARS = 256;

  /**
   * A rejected item with at most {@code excerptBytes} of its original: a record must stay far below
   * Kafka's size limit whatever a device sent, or one bad item would block its whole upload.
   */
  public static RejectedPing of(
      String key,
      byte[] original,
      Rejection rejection,
      String protocol,
      Instant receivedAt,
      UUID fleetId,
      int excerptBytes) {
    byte[] kept = original.length > excerptBytes ? Arrays.copyOf(original, excerptBytes) : original;
    String boundedKey = key.length() > MAX_KEY_CHARS ? key.substring(0, MAX_KEY_CHARS) : key;
    return new RejectedPing(
        boundedKey, kept, original.length, rejection, protocol, receivedAt, fleetId);
  }

  /** Whether {@code original} is only the start of what the device sent. */
  public boolean truncated() {
    return original.length < originalLength;
  }
}
