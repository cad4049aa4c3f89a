package io.fleetline.ingest.json;

import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.intake.DecodedPing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Decodes a body of the JSON ping format — one ping object or an array of them — shared by the HTTP
 * and MQTT protocols. A broken item becomes a malformed {@link DecodedPing} and does not spoil its
 * neighbours; only a body that is not a ping or an array at all is refused as a whole. Pings are
 * read from the token stream, and the original bytes of an item are cut from the body only if it is
 * rejected.
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
    try (JsonParser in = FleetlineJson.mapper().createParser(body)) {
      JsonToken root = in.nextToken();
      List<DecodedPing> items;
      if (root == JsonToken.START_OBJECT) {
        items = List.of(decodeItem(0, in, body));
      } else if (root == JsonToken.START_ARRAY) {
        items = decodeArray(in, body, maxBatchSize);
      } else {
        throw new MalformedBodyException(
            "The body must be a ping object or an array of pings.", false);
      }
      if (in.nextToken() != null) {
        throw new MalformedBodyException(
            "The body is not valid JSON: unexpected content after the pings.", false);
      }
      return items;
    } catch (JacksonException e) {
      throw new MalformedBodyException(JsonProblems.describe(e), false);
    }
  }

  private static List<DecodedPing> decodeArray(JsonParser in, byte[] body, int maxBatchSize) {
    List<DecodedPing> items = new ArrayList<>(Math.min(maxBatchSize, 1024));
    while (in.nextToken() != JsonToken.END_ARRAY) {
      if (items.size() == maxBatchSize) {
        int count = items.size() + 1;
        in.skipChildren();
        while (in.nextToken() != JsonToken.END_ARRAY) {
          in.skipChildren();
          count++;
        }
        throw new MalformedBodyException(
            "At most " + maxBatchSize + " pings per request, got " + count + ".", true);
      }
      items.add(decodeItem(items.size(), in, body));
    }
    if (items.isEmpty()) {
      throw new MalformedBodyException("The array of pings is empty.", false);
    }
    return items;
  }

  /** Decodes the item at the current token and leaves the parser on its last token. */
  private static DecodedPing decodeItem(int index, JsonParser in, byte[] body) {
    int start = (int) in.currentTokenLocation().getByteOffset();
    if (in.currentToken() != JsonToken.START_OBJECT) {
      // Skipped, not built: the item's own bytes are all the rejected topic needs of it.
      if (in.currentToken().isStructStart()) {
        in.skipChildren();
      } else {
        in.finishToken();
      }
      int end = (int) in.currentLocation().getByteOffset();
      return DecodedPing.malformed(
          index, Arrays.copyOfRange(body, start, end), "a ping must be a JSON object");
    }
    try {
      var candidate = JsonPingReader.read(in);
      int end = (int) in.currentLocation().getByteOffset();
      return DecodedPing.of(index, () -> Arrays.copyOfRange(body, start, end), candidate);
    } catch (MalformedPingException e) {
      int end = (int) in.currentLocation().getByteOffset();
      return DecodedPing.rejected(index, Arrays.copyOfRange(body, start, end), e.rejection());
    }
  }
}
