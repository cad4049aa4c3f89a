package io.fleetline.ingest.intake;

import io.fleetline.ingest.validation.PingCandidate;
import io.fleetline.ingest.validation.Rejection;
import java.util.function.Supplier;

/**
 * One item of a device's upload after protocol decoding: either a candidate ping or the reason it
 * could not be decoded, with the original bytes for the rejected topic. The original is produced
 * only when an item is rejected, since almost none are.
 */
public record DecodedPing(
    int index, Supplier<byte[]> original, PingCandidate candidate, Rejection malformed) {

  public static DecodedPing of(int index, byte[] original, PingCandidate candidate) {
    return new DecodedPing(index, () -> original, candidate, null);
  }

  public static DecodedPing of(int index, Supplier<byte[]> original, PingCandidate candidate) {
    return new DecodedPing(index, original, candidate, null);
  }

  public static DecodedPing malformed(int index, byte[] original, String detail) {
    return rejected(index, original, new Rejection(Rejection.MALFORMED, detail));
  }

  /** An item turned away while decoding, for the given reason. */
  public static DecodedPing rejected(int index, byte[] original, Rejection rejection) {
    return new DecodedPing(index, () -> original, null, rejection);
  }
}
