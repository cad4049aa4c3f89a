package io.fleetline.ingest.osmand;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The key/value parameters of a classic OsmAnd request: the query string's, then a form body's; the
 * first value of a repeated key wins. Keeps the text the device sent, for the rejected topic.
 */
final class OsmandParameters {

  private static final String FORM = "application/x-www-form-urlencoded";

  private final Map<String, String> values = new LinkedHashMap<>();
  private final String query;
  private final byte[] form;

  private OsmandParameters(String query, byte[] form) {
    this.query = query;
    this.form = form;
  }

  /**
   * Decodes the query string (UTF-8) and, when the body is a form, its fields (in its charset).
   *
   * @throws OsmandFormatException when either is not valid percent-encoding
   */
  static OsmandParameters of(String query, String contentType, Charset charset, byte[] body) {
    boolean isForm =
        contentType != null
            && contentType.toLowerCase(Locale.ROOT).startsWith(FORM)
            && body.length > 0;
    OsmandParameters parameters = new OsmandParameters(query, isForm ? body : null);
    if (query != null) {
      parameters.add(query, StandardCharsets.UTF_8, false);
    }
    if (isForm) {
      parameters.add(new String(body, charset), charset, true);
    }
    return parameters;
  }

  private void add(String encoded, Charset charset, boolean form) {
    int start = 0;
    while (start <= encoded.length()) {
      int end = encoded.indexOf('&', start);
      if (end < 0) {
        end = encoded.length();
      }
      if (end > start) {
        int eq = encoded.indexOf('=', start);
        boolean hasValue = eq >= 0 && eq < end;
        try {
          String name = decode(encoded.substring(start, hasValue ? eq : end), charset);
          String value = hasValue ? decode(encoded.substring(eq + 1, end), charset) : "";
          values.putIfAbsent(name, value);
        } catch (IllegalArgumentException e) {
          if (form) {
            throw new OsmandFormatException(
                "", "The form body is not valid percent-encoding in its charset.");
          }
          // As servlet containers do: a broken query pair is left out, the position is kept.
        }
      }
      start = end + 1;
    }
  }

  /**
   * @throws IllegalArgumentException when the text is not valid percent-encoding
   */
  private static String decode(String text, Charset charset) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      return text;
    }
    return URLDecoder.decode(text, charset);
  }

  Map<String, String> values() {
    return values;
  }

  /** The parameters as the device sent them: the query string, the form body, or both. */
  byte[] original() {
    if (form == null) {
      return query == null ? new byte[0] : query.getBytes(StandardCharsets.UTF_8);
    }
    if (query == null) {
      return form;
    }
    byte[] head = (query + "&").getBytes(StandardCharsets.UTF_8);
    byte[] both = new byte[head.length + form.length];
    System.arraycopy(head, 0, both, 0, head.length);
    System.arraycopy(form, 0, both, head.length, form.length);
    return both;
  }
}
