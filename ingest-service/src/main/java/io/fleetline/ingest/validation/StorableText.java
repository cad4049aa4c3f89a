package io.fleetline.ingest.validation;

/**
 * Text a device sent, judged by whether it can be stored and how it may be echoed. PostgreSQL's
 * {@code jsonb} refuses NUL and a UTF-16 surrogate without its partner, so such text is turned away
 * at the door instead of failing deep in the pipeline; and what is echoed back in a rejection
 * detail is short and printable, whatever the device sent.
 */
public final class StorableText {

  /** The most characters of a device's value quoted in a rejection detail. */
  public static final int MAX_QUOTED_CHARS = 64;

  private StorableText() {}

  /** Whether the text holds neither NUL nor a lone surrogate. */
  public static boolean isStorable(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

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
