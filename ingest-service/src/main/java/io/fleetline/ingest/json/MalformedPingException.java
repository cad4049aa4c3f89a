package io.fleetline.ingest.json;

import io.fleetline.ingest.validation.Rejection;

/**
 * A ping item that cannot be read; {@code field} names what is wrong, {@code reason} is the
 * rejection reason ({@code malformed} unless the item is merely too large).
 */
class MalformedPingException extends RuntimeException {

  private final String field;
  private final String reason;

  MalformedPingException(String field, String message) {
    this(field, Rejection.MALFORMED, message);
  }

  MalformedPingException(String field, String reason, String message) {
    super(message);
    this.field = field;
    this.reason = reason;
  }

  String field() {
    return field;
  }

  Rejection rejection() {
    return new Rejection(reason, getMessage());
  }
}
