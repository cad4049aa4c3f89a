package io.fleetline.ingest.osmand;

/** An OsmAnd request that cannot be read; {@code field} names the parameter at fault. */
class OsmandFormatException extends RuntimeException {

  private final String field;

  OsmandFormatException(String field, String message) {
    super(message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
