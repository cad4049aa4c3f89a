package io.fleetline.simulator;

/**
 * What ingest made of one sent ping.
 *
 * @param acknowledged the device got its protocol's acknowledgement for it (for an invalid ping:
 *     the answer it should get arrived)
 * @param answer one of {@link io.fleetline.simulator.truth.Answers}, or {@code accepted}
 * @param observedReason the rejection reason ingest told the device, where the protocol carries
 *     one; {@code null} when accepted or not told
 */
record Outcome(boolean acknowledged, String answer, String observedReason) {

  static final String ACCEPTED = "accepted";

  static Outcome accepted() {
    return new Outcome(true, ACCEPTED, null);
  }

  static Outcome failed() {
    return new Outcome(false, "failed", null);
  }
}
