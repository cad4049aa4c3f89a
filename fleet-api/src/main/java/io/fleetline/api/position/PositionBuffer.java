package io.fleetline.api.position;

import io.fleetline.common.IsoTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.core.JsonGenerator;

/**
 * What the writers of one answer reuse from position to position: the bytes of a formatted time,
 * and the last vehicle id's bytes, since a track page repeats one vehicle id.
 */
final class PositionBuffer {

  private final byte[] time = new byte[IsoTime.MAX_FORMATTED_BYTES];
  private String id;
  private byte[] idBytes;

  /** The ASCII bytes of an id, encoded again only when it differs from the last one. */
  byte[] ascii(String id) {
    if (!id.equals(this.id)) {
      this.id = id;
      this.idBytes = id.getBytes(StandardCharsets.US_ASCII);
    }
    return idBytes;
  }

  /** Writes an instant in ISO 8601 UTC with milliseconds; an ISO time is ASCII. */
  void writeTime(JsonGenerator json, Instant instant) {
    int length = IsoTime.formatMillisTo(instant, time, 0);
    if (length < 0) {
      json.writeString(IsoTime.formatMillis(instant));
    } else {
      json.writeRawUTF8String(time, 0, length);
    }
  }
}
