package io.fleetline.ingest.validation;

/**
 * Why a ping was turned away. The reason is a stable, machine-readable code (it becomes a metric
 * label and a header on the rejected topic); the detail is for humans.
 */
public record Rejection(String reason, String detail) {

  public static final String MALFORMED = "malformed";
  public static final String UNKNOWN_DEVICE = "unknown_device";
  public static final String DEVICE_DISABLED = "device_disabled";
  public static final String NOT_RELAYED = "not_relayed";
  public static final String ATTRIBUTES_TOO_LARGE = "attributes_too_large";
}
