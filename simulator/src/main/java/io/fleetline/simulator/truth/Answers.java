package io.fleetline.simulator.truth;

/** How ingest answers a device that sent an invalid ping ({@link TruthInvalidPing#answer()}). */
public final class Answers {

  /**
   * HTTP {@code 202} (or {@code 400} when no item of the batch was valid) or OsmAnd {@code 200},
   * with the item listed under {@code rejected} with its reason.
   */
  public static final String ITEM_REJECTED = "item_rejected";

  /** HTTP or OsmAnd {@code 400}: the request could not be read; nothing reaches Kafka. */
  public static final String BAD_REQUEST = "bad_request";

  /** HTTP {@code 401}: unknown device token; nothing reaches Kafka. */
  public static final String UNAUTHORIZED = "unauthorized";

  /** OsmAnd {@code 404}: unknown device identifier; nothing reaches Kafka. */
  public static final String NOT_FOUND = "not_found";

  /** MQTT PUBACK: the broker and ingest took it; its reason is only on the rejected topic. */
  public static final String PUBACK = "puback";

  /**
   * MQTT: the broker refuses the login (CONNACK "not authorised"): the identifier has no
   * credentials; nothing reaches ingest.
   */
  public static final String LOGIN_REFUSED = "login_refused";

  /** Teltonika: counted in the packet's record-count acknowledgement, reason on the topic. */
  public static final String ACKNOWLEDGED = "acknowledged";

  /** Teltonika: the IMEI handshake is answered {@code 00} and the connection closed. */
  public static final String HANDSHAKE_REFUSED = "handshake_refused";

  /** Teltonika: the connection is closed without an acknowledgement (e.g. a CRC mismatch). */
  public static final String CONNECTION_CLOSED = "connection_closed";

  private Answers() {}
}
