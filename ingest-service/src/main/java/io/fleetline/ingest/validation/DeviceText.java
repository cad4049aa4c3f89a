package io.fleetline.ingest.validation;

/**
 * How text a device sent is echoed in a rejection detail: short and printable whatever the device
 * sent, since details go back to the device, into a Kafka header and into logs.
 */
public final class DeviceText {

  /** The most characters of a device's value quoted in a rejection detail. */
  public static final int MAX_QUOTED_CHARS = 64;

  /**
   * Longer than any time a device may send (ISO-8601 with nanoseconds, an offset and a nine-digit
   * year): not worth parsing.
   */
  public static final int MAX_TIME_CHARS = 64;

  private DeviceText() {}

  /**
   * The value in single quotes for a rejection detail: at most {@link #MAX_QUOTED_CHARS}
   * characters, control characters and surrogates shown as {@code ?}, a cut marked with {@code …}.
   */
  public static String quoted(String value) {
    int length = Math.min(value.length(), MAX_QUOTED_CHARS);
    StringBuilder out = new StringBuilder(length + 3).append('\'');
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      out.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
    }
    if (value.length() > length) {
      out.append('…');
    }
    return out.append('\'').toString();
  }
}
