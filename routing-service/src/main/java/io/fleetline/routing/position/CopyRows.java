package io.fleetline.routing.position;

/**
 * Builds the body of a {@code COPY ... (FORMAT csv)}: unquoted empty fields are NULL, text fields
 * are quoted with embedded quotes doubled (PostgreSQL's CSV rules).
 */
final class CopyRows {

  private final StringBuilder out;
  private boolean firstField = true;

  CopyRows(int expectedRows) {
    this.out = new StringBuilder(expectedRows * 200);
  }

  CopyRows field(Object value) {
    separator();
    if (value != null) {
      out.append(value);
    }
    return this;
  }

  CopyRows text(String value) {
    separator();
    if (value != null) {
      out.append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"') {
          out.append('"');
        }
        out.append(c);
      }
      out.append('"');
    }
    return this;
  }

  CopyRows endRow() {
    out.append('\n');
    firstField = true;
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void separator() {
    if (!firstField) {
      out.append(',');
    }
    firstField = false;
  }
}
