package io.fleetline.ingest.publish;

/**
 * An upload refused before anything of it was sent, because ingest's bound on work waiting for
 * Kafka is reached: the same upload may be offered again shortly.
 */
public class IngestAtCapacityException extends PingsNotDurableException {

  public IngestAtCapacityException(String message) {
    super(message, null);
  }
}
