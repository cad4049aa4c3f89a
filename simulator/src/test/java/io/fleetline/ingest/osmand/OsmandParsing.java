package io.fleetline.ingest.osmand;

import io.fleetline.ingest.validation.PingCandidate;
import java.time.Instant;
import java.util.Map;

/** Ingest's OsmAnd query parser, opened up for the simulator's stub platform in tests. */
public final class OsmandParsing {

  private OsmandParsing() {}

  /** The device id and candidate, or an {@link IllegalArgumentException} for a malformed query. */
  public static Map.Entry<String, PingCandidate> parse(Map<String, String> params) {
    try {
      OsmandPing ping = OsmandQueryParser.parse(params, Instant.now());
      return Map.entry(ping.deviceId(), ping.candidate());
    } catch (OsmandFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
