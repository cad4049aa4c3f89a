package io.fleetline.common;

/** Kafka header names carried by ping records, so consumers can route without decoding the body. */
public final class PingHeaders {

  public static final String FLEET_ID = "fleetline-fleet-id";
  public static final String PROTOCOL = "fleetline-protocol";
  public static final String RECEIVED_AT = "fleetline-received-at";
  public static final String REJECT_REASON = "fleetline-reject-reason";
  public static final String REJECT_DETAIL = "fleetline-reject-detail";

  private PingHeaders() {}
}
