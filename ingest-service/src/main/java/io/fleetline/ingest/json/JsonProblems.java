package io.fleetline.ingest.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * Says what is wrong with a device's JSON without the parser's own words: those name the parser's
 * classes and settings and quote the input back, neither of which a device should be shown.
 */
public final class JsonProblems {

  private JsonProblems() {}

  /** A sentence for a client, naming where the body stopped being acceptable JSON. */
  public static String describe(JacksonException e) {
    String where = where(e.getLocation());
    if (e instanceof StreamConstraintsException) {
      return "The body nests too deeply or holds a value too long to read" + where + ".";
    }
    return "The body is not valid JSON" + where + ".";
  }

  private static String where(TokenStreamLocation location) {
    if (location == null || location.getByteOffset() < 0) {
      return "";
    }
    return " (at byte " + location.getByteOffset() + ")";
  }
}
