package io.fleetline.ingest.publish;

/** Kafka did not acknowledge every ping in time: the device must not be told they are stored. */
public class PingsNotDurableException extends RuntimeException {

  public PingsNotDurableException(String message, Throwable cause) {
    super(message, cause);
  }
}
