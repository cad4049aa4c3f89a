package io.fleetline.ingest.json;

/** A ping item that cannot be read at all; {@code field} names what is wrong. */
class MalformedPingException extends RuntimeException {

  private final String field;

  MalformedPingException(String field, String message) {
    super(message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
