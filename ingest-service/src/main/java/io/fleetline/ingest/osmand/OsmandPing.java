package io.fleetline.ingest.osmand;

import io.fleetline.ingest.validation.PingCandidate;
import java.util.function.Supplier;

/**
 * One position of an OsmAnd request: which device sent it, and what it measured. {@code original}
 * is its own text when it is one of several in a request, else null (the request is its text).
 */
record OsmandPing(String deviceId, PingCandidate candidate, Supplier<byte[]> original) {

  OsmandPing(String deviceId, PingCandidate candidate) {
    this(deviceId, candidate, null);
  }
}
