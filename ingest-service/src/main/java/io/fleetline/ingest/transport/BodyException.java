package io.fleetline.ingest.transport;

/** Why a request body was not taken: each kind has its own answer to the device. */
public final class BodyException extends Exception {

  /** What was wrong with the body. */
  public enum Kind {
    /** Larger than the limit, declared or counted (also after decompression): 413. */
    TOO_LARGE,
    /** Not valid gzip although declared so, truncated or empty: 400. */
    MALFORMED_ENCODING,
    /** A {@code Content-Encoding} other than gzip or identity: 415. */
    UNSUPPORTED_ENCODING,
    /** The bytes did not arrive within the allowed time: 408. */
    TOO_SLOW
  }

  private final Kind kind;

  BodyException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
