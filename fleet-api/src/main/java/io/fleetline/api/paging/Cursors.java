package io.fleetline.api.paging;

import io.fleetline.api.problem.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded. */
public final class Cursors {

  private Cursors() {}

  public static String encode(String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The key inside a cursor, or {@code null} when there is no cursor. */
  public static String decode(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  public static UUID decodeUuid(String cursor) {
    String key = decode(cursor);
    try {
      return key == null ? null : UUID.fromString(key);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  public static Long decodeLong(String cursor) {
    String key = decode(cursor);
    try {
      return key == null ? null : Long.parseLong(key);
    } catch (NumberFormatException e) {
      throw invalid();
    }
  }

  /** An instant cursor, encoded as epoch microseconds so that no precision is lost. */
  public static String instantKey(Instant instant) {
    return Long.toString(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000);
  }

  public static Instant decodeInstant(String cursor) {
    String key = decode(cursor);
    try {
      if (key == null) {
        return null;
      }
      long micros = Long.parseLong(key);
      Instant instant =
          Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L))
              .plusNanos(Math.floorMod(micros, 1_000_000L) * 1000);
      if (instant.isBefore(TimeParameter.EARLIEST) || instant.isAfter(TimeParameter.LATEST)) {
        throw invalid();
      }
      return instant;
    } catch (NumberFormatException e) {
      throw invalid();
    }
  }

  private static ApiProblem invalid() {
    return ApiProblem.badRequest("cursor", "the cursor is not one this API issued");
  }
}
