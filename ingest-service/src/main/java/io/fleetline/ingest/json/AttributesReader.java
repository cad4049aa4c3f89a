package io.fleetline.ingest.json;

import io.fleetline.ingest.validation.Rejection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;

/**
 * Reads a ping's {@code attributes} object from the token stream into maps and lists, and stops
 * building once the object has spanned more input than any Kafka record could carry: past that it
 * is only skipped, so a huge attributes object costs the ceiling in memory, not its size. The exact
 * limits (entries, depth, encoded size) are the validator's; this only bounds what is built before
 * it can judge.
 */
final class AttributesReader {

  /** Kafka's default record limit: attributes larger than this could never be published. */
  static final long MAX_INPUT_BYTES = 1 << 20;

  private static final int CHECK_EVERY = 64;

  private final JsonParser in;
  private final long start;

  private AttributesReader(JsonParser in) {
    this.in = in;
    this.start = in.currentTokenLocation().getByteOffset();
  }

  /**
   * Reads the object at the parser's current {@code START_OBJECT} and leaves the parser on its
   * {@code END_OBJECT}, also when it throws.
   *
   * @throws MalformedPingException when the object is too large or holds a number that is not
   *     finite
   */
  static Map<String, Object> read(JsonParser in) {
    TokenStreamContext outside = in.streamReadContext().getParent();
    try {
      return new AttributesReader(in).object();
    } catch (MalformedPingException e) {
      while (in.streamReadContext() != outside) {
        in.nextToken();
      }
      throw e;
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    String name;
    while ((name = in.nextName()) != null) {
      in.nextToken();
      map.put(name, value());
      if (map.size() % CHECK_EVERY == 0) {
        checkSize();
      }
    }
    return map;
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    while (in.nextToken() != JsonToken.END_ARRAY) {
      list.add(value());
      if (list.size() % CHECK_EVERY == 0) {
        checkSize();
      }
    }
    return list;
  }

  /**
   * Stops a reading past the input bound. Looked at where a nested object or array starts and every
   * {@link #CHECK_EVERY} entries, not for every value: the parser's location is an allocation.
   */
  private void checkSize() {
    if (in.currentLocation().getByteOffset() - start > MAX_INPUT_BYTES) {
      throw new MalformedPingException(
          "attributes",
          Rejection.ATTRIBUTES_TOO_LARGE,
          "attributes are larger than " + MAX_INPUT_BYTES + " bytes");
    }
  }

  private Object value() {
    return switch (in.currentToken()) {
      case START_OBJECT -> {
        checkSize();
        yield object();
      }
      case START_ARRAY -> {
        checkSize();
        yield array();
      }
      case VALUE_STRING -> in.getString();
      case VALUE_NUMBER_INT -> in.getNumberValue();
      case VALUE_NUMBER_FLOAT -> finite(in.getDoubleValue());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      default -> null;
    };
  }

  private static Double finite(double value) {
    if (!Double.isFinite(value)) {
      throw new MalformedPingException(
          "attributes", Rejection.MALFORMED, "attributes hold a number too large for a double");
    }
    return value;
  }
}
