package io.fleetline.ingest.transport;

/** Why a request body was not taken: each kind has its own answer to the device. */
public final class BodyException extends Exception {

  /** What was wrong with the body, and the answer's status, problem type and title. */
  public enum Kind {
    /** Larger than the limit, declared or counted (also after decompression). */
    TOO_LARGE(413, "too-large", "Request too large"),
    /** Not valid gzip although declared so, truncated or empty. */
    MALFORMED_ENCODING(400, "malformed", "Malformed request"),
    /** A {@code Content-Encoding} other than gzip or identity. */
    UNSUPPORTED_ENCODING(415, "unsupported-encoding", "Unsupported content encoding"),
    /** The bytes did not arrive within the allowed time. */
    TOO_SLOW(408, "too-slow", "Request body too slow");

    private final int status;
    private final String type;
    private final String title;

    Kind(int status, String type, String title) {
      this.status = status;
      this.type = type;
      this.title = title;
    }

    public int status() {
      return status;
    }

    public String type() {
      return type;
    }

    public String title() {
      return title;
    }
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
