package io.fleetline.simulator;

import io.fleetline.simulator.truth.Answers;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every kind of invalid ping ingest turns away, with the reason code it gives (its {@code
 * PingValidator} rule names and {@code Rejection.MALFORMED} / {@code UNKNOWN_DEVICE}) and the
 * protocols that can carry it. Value kinds break exactly one rule of a valid reading; the others
 * are built by each protocol's uplink.
 */
enum InvalidKind {
  LATITUDE_OUT_OF_RANGE("latitude_out_of_range", "latitude 91.5"),
  LONGITUDE_OUT_OF_RANGE("longitude_out_of_range", "longitude 181.5"),
  NULL_ISLAND("null_island", "position (0, 0)"),
  RECORDED_IN_FUTURE("recorded_in_future", "recordedAt an hour ahead of the clock"),
  RECORDED_TOO_OLD("recorded_too_old", "recordedAt 40 days back"),
  SPEED_OUT_OF_RANGE("speed_out_of_range", "speed 450 km/h"),
  HEADING_OUT_OF_RANGE("heading_out_of_range", "heading 400°"),
  ALTITUDE_OUT_OF_RANGE("altitude_out_of_range", "altitude 25000 m"),
  ACCURACY_OUT_OF_RANGE(
      "accuracy_out_of_range",
      "accuracy 150000 m",
      Protocol.HTTP,
      Protocol.OSMAND,
      Protocol.MQTT,
      Protocol.COAP),
  ODOMETER_OUT_OF_RANGE("odometer_out_of_range", "odometer 20000000 km"),
  ATTRIBUTES_TOO_LARGE("attributes_too_large", "300 attributes"),
  MALFORMED("malformed", "unreadable"),
  UNKNOWN_DEVICE("unknown_device", "identifier registered nowhere");

  /** More attributes than ingest's default limit of 256. */
  static final int TOO_MANY_ATTRIBUTES = 300;

  private final String reason;
  private final String detail;
  private final Set<Protocol> protocols;

  InvalidKind(String reason, String detail, Protocol... protocols) {
    this.reason = reason;
    this.detail = detail;
    this.protocols =
        protocols.length == 0 ? EnumSet.allOf(Protocol.class) : EnumSet.copyOf(List.of(protocols));
  }

  String reason() {
    return reason;
  }

  String detail() {
    return detail;
  }

  boolean carriedBy(Protocol protocol) {
    return protocols.contains(protocol);
  }

  /** The kinds a protocol can carry, in a fixed order. */
  static List<InvalidKind> kindsFor(Protocol protocol) {
    return EnumSet.allOf(InvalidKind.class).stream().filter(k -> k.carriedBy(protocol)).toList();
  }

  /** How ingest answers a device that sends this kind over {@code protocol}. */
  String expectedAnswer(Protocol protocol) {
    return switch (protocol) {
      case HTTP, COAP -> this == UNKNOWN_DEVICE ? Answers.UNAUTHORIZED : Answers.ITEM_REJECTED;
      case OSMAND ->
          this == UNKNOWN_DEVICE
              ? Answers.NOT_FOUND
              : this == MALFORMED ? Answers.BAD_REQUEST : Answers.ITEM_REJECTED;
      case MQTT -> this == UNKNOWN_DEVICE ? Answers.LOGIN_REFUSED : Answers.PUBACK;
      case TELTONIKA ->
          this == UNKNOWN_DEVICE
              ? Answers.HANDSHAKE_REFUSED
              : this == MALFORMED ? Answers.CONNECTION_CLOSED : Answers.ACKNOWLEDGED;
    };
  }

  /**
   * Whether ingest records it on the rejected topic: everything it takes in and turns away, but not
   * what it refuses at the door (an unreadable OsmAnd request, an unknown HTTP token, OsmAnd id or
   * IMEI, an MQTT login without credentials, a corrupt Teltonika packet).
   */
  boolean inRejectedTopic(Protocol protocol) {
    String answer = expectedAnswer(protocol);
    return answer.equals(Answers.ITEM_REJECTED)
        || answer.equals(Answers.PUBACK)
        || answer.equals(Answers.ACKNOWLEDGED);
  }

  /** The identifier an {@link #UNKNOWN_DEVICE} ping is sent as: registered nowhere. */
  static String unknownIdentifier(Protocol protocol, String identifier) {
    return protocol == Protocol.TELTONIKA
        ? TeltonikaUplink.unknownImei(identifier)
        : "unknown-" + identifier;
  }

  /**
   * The reading with this kind's defect; {@code wallClock} is the real time now, which is what
   * ingest compares event times with. Kinds the uplink builds itself return the reading unchanged.
   */
  Reading breakReading(Reading r, Instant wallClock) {
    return switch (this) {
      case LATITUDE_OUT_OF_RANGE -> r.withPosition(91.5, r.longitude());
      case LONGITUDE_OUT_OF_RANGE -> r.withPosition(r.latitude(), 181.5);
      case NULL_ISLAND -> r.withPosition(0, 0);
      case RECORDED_IN_FUTURE ->
          r.withRecordedAt(
              (r.recordedAt().isAfter(wallClock) ? r.recordedAt() : wallClock)
                  .plus(Duration.ofHours(1)));
      case RECORDED_TOO_OLD -> r.withRecordedAt(wallClock.minus(Duration.ofDays(40)));
      case SPEED_OUT_OF_RANGE -> r.withSpeedKmh(450);
      case HEADING_OUT_OF_RANGE -> r.withHeadingDeg(400);
      case ALTITUDE_OUT_OF_RANGE -> r.withAltitudeM(25_000);
      case ACCURACY_OUT_OF_RANGE -> r.withAccuracyM(150_000);
      case ODOMETER_OUT_OF_RANGE -> r.withOdometerKm(20_000_000);
      case ATTRIBUTES_TOO_LARGE, MALFORMED, UNKNOWN_DEVICE -> r;
    };
  }
}
