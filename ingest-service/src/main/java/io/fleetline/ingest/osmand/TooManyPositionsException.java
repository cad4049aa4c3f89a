package io.fleetline.ingest.osmand;

/** An OsmAnd upload with more buffered positions than one request may carry. */
class TooManyPositionsException extends RuntimeException {

  TooManyPositionsException(int max, int got) {
    super("At most " + max + " pings per request, got " + got + ".");
  }
}
