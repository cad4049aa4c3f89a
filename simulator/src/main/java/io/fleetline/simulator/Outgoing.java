package io.fleetline.simulator;

/**
 * One ping a device is about to send: a reading, and unless {@code invalid} is null, the way it is
 * broken on purpose (the reading already carries any out-of-range value).
 */
record Outgoing(Reading reading, InvalidKind invalid) {

  static Outgoing valid(Reading reading) {
    return new Outgoing(reading, null);
  }

  boolean isValid() {
    return invalid == null;
  }
}
