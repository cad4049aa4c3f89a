package io.fleetline.ingest.json;

import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.intake.DecodedPing;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Decodes a body of the JSON ping format — one ping object or an array of them — shared by the HTTP
 * and MQTT protocols. A broken item becomes a malformed {@link DecodedPing} and does not spoil its
 * neighbours; only a body that is not a ping or an array at all is refused as a whole.
 */
public final class PingJson {

  private PingJson() {}

  /** A body that cannot be read as pings at all. */
  public static final class MalformedBodyException extends RuntimeException {

    private final boolean tooLarge;

    MalformedBodyException(String message, boolean tooLarge) {
      super(message);
      this.tooLarge = tooLarge;
    }

    /** Whether the body was refused for its size rather than its form. */
    public boolean tooLarge() {
      return tooLarge;
    }
  }

  public static List<DecodedPing> decode(byte[] body, int maxBatchSize) {
    JsonNode root;
    try {
      root = FleetlineJson.mapper().readTree(body);
    } catch (JacksonException e) {
      throw new MalformedBodyException(
          "The body is not valid JSON: " + e.getOriginalMessage(), false);
    }
    if (root == null || root.isMissingNode() || !(root.isObject() || root.isArray())) {
      throw new MalformedBodyException(
          "The body must be a ping object or an array of pings.", false);
    }
    if (root.isObject()) {
      return List.of(decodeItem(0, root));
    }
    if (root.size() == 0) {
      throw new MalformedBodyException("The array of pings is empty.", false);
    }
    if (root.size() > maxBatchSize) {
      throw new MalformedBodyException(
          "At most " + maxBatchSize + " pings per request, got " + root.size() + ".", true);
    }
    List<DecodedPing> items = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      items.add(decodeItem(i, root.get(i)));
    }
    return items;
  }

  private static DecodedPing decodeItem(int index, JsonNode item) {
    try {
      return DecodedPing.of(index, () -> FleetlineJson.write(item), JsonPingReader.read(item));
    } catch (MalformedPingException e) {
      return DecodedPing.malformed(index, FleetlineJson.write(item), e.getMessage());
    }
  }
}
