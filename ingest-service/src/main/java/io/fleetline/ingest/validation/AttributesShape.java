package io.fleetline.ingest.validation;

import io.fleetline.common.FleetlineJson;
import java.util.Collection;
import java.util.Map;

/**
 * Measures a ping's attributes as they will be written to Kafka, without writing them: the size of
 * their JSON encoding in UTF-8 bytes (an upper bound: every control character counted as a six-byte
 * {@code \}{@code uXXXX} escape), their nesting depth, and the path of the first key or text value
 * that cannot be stored. The walk stops once the size is past {@code maxBytes} or the depth past
 * {@code maxDepth}, so an oversized value costs no more than the limit to judge. A double or float
 * counts as its longest possible text; only a measure that this bound puts past the limit is taken
 * again exactly.
 */
final class AttributesShape {

  /** The most characters of one key shown in a path. */
  private static final int MAX_KEY_CHARS = 32;

  /** The longest text of a double or float, e.g. {@code -2.2250738585072014E-308}. */
  static final int MAX_FLOATING_CHARS = 24;

  private final int maxBytes;
  private final int maxDepth;

  /** Whether doubles and floats are measured by their text rather than its upper bound. */
  private final boolean exact;

  private boolean estimated;
  private long bytes;
  private int depth;
  private String unstorablePath;

  private AttributesShape(int maxBytes, int maxDepth, boolean exact) {
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    this.exact = exact;
  }

  static AttributesShape of(Map<String, Object> attributes, int maxBytes, int maxDepth) {
    AttributesShape shape = new AttributesShape(maxBytes, maxDepth, false);
    shape.object(attributes, "attributes", 1);
    if (shape.tooLarge() && shape.estimated) {
      shape = new AttributesShape(maxBytes, maxDepth, true);
      shape.object(attributes, "attributes", 1);
    }
    return shape;
  }

  /** Characters of a long in decimal, without making its text. */
  static int digits(long value) {
    if (value == Long.MIN_VALUE) {
      return 20;
    }
    int digits = value < 0 ? 2 : 1;
    for (long rest = Math.abs(value); rest >= 10; rest /= 10) {
      digits++;
    }
    return digits;
  }

  boolean tooLarge() {
    return bytes > maxBytes;
  }

  boolean tooDeep() {
    return depth > maxDepth;
  }

  /** Where the first key or text that cannot be stored is, e.g. {@code attributes.note}. */
  String unstorablePath() {
    return unstorablePath;
  }

  private boolean stopped() {
    return tooLarge() || tooDeep();
  }

  /**
   * Measures one value; {@code path} and the key (or, when it is null, the index) locate it, joined
   * only when needed: most pings' attributes are a few flat entries.
   */
  private void value(Object value, String path, String key, int index, int level) {
    if (value == null) {
      bytes += 4;
    } else if (value instanceof String text) {
      text(text, path, key, index);
    } else if (value instanceof Boolean b) {
      bytes += b ? 4 : 5;
    } else if (value instanceof Double d && !Double.isFinite(d)) {
      bytes += d.toString().length() + 2; // written as a string
    } else if (value instanceof Float f && !Float.isFinite(f)) {
      bytes += f.toString().length() + 2;
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      bytes += digits(((Number) value).longValue());
    } else if (!exact && (value instanceof Double || value instanceof Float)) {
      // Their text is never longer; measured exactly only when the bound decides the size.
      bytes += MAX_FLOATING_CHARS;
      estimated = true;
    } else if (value instanceof Number n) {
      bytes += n.toString().length();
    } else if (value instanceof Map<?, ?> map) {
      object(map, join(path, key, index), level);
    } else if (value instanceof Collection<?> list) {
      array(list, join(path, key, index), level);
    } else {
      bytes += FleetlineJson.write(value).length;
    }
  }

  private void object(Map<?, ?> map, String path, int level) {
    depth = Math.max(depth, level);
    bytes += 2 + Math.max(0, map.size() - 1);
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (stopped()) {
        return;
      }
      String key = String.valueOf(entry.getKey());
      text(key, path, key, -1);
      bytes += 1;
      value(entry.getValue(), path, key, -1, level + 1);
    }
  }

  private void array(Collection<?> list, String path, int level) {
    depth = Math.max(depth, level);
    bytes += 2 + Math.max(0, list.size() - 1);
    int i = 0;
    for (Object element : list) {
      if (stopped()) {
        return;
      }
      value(element, path, null, i++, level + 1);
    }
  }

  /**
   * Adds the text's encoded size and notes where it is if it cannot be stored: one pass, as this
   * runs for every key and value of every ping. Past the size limit the rest is not looked at, as
   * the size is then the rejection.
   */
  private void text(String text, String path, String key, int index) {
    long size = 2;
    boolean storable = true;
    int length = text.length();
    for (int i = 0; i < length && size <= maxBytes; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        storable &= c != '\u0000';
        size += c < 0x20 ? 6 : c == '"' || c == '\\' ? 2 : 1;
      } else if (c < 0x800) {
        size += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        size += 4;
        i++;
      } else {
        storable &= !Character.isSurrogate(c);
        size += 3;
      }
    }
    bytes += size;
    if (!storable && unstorablePath == null) {
      unstorablePath = join(path, key, index);
    }
  }

  /** The path of an entry, its key printable and cut when long. */
  private static String join(String path, String key, int index) {
    if (key == null) {
      return path + "[" + index + "]";
    }
    String quoted = DeviceText.quoted(key);
    String bare = quoted.substring(1, quoted.length() - 1);
    return path
        + "."
        + (bare.length() > MAX_KEY_CHARS ? bare.substring(0, MAX_KEY_CHARS) + "…" : bare);
  }
}
