package io.fleetline.ingest.json;

import io.fleetline.common.IsoTime;
import io.fleetline.common.Measurements;
import io.fleetline.ingest.validation.DeviceText;
import io.fleetline.ingest.validation.PingCandidate;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one ping of the HTTP JSON protocol (also the MQTT payload): {@code recordedAt} (ISO-8601
 * with offset), {@code latitude} and {@code longitude} required; the other fields optional and
 * typed. A field of the wrong type is an error that names the field, never a silent null.
 *
 * <p>Reads straight from the token stream, without building a tree: this runs for every ping. The
 * object is always consumed to its end first and checked afterwards, so a bad ping leaves the
 * stream at its neighbour and the first error reported does not depend on the order of the keys.
 */
public final class JsonPingReader {

  private static final int RECORDED_AT = 0;
  private static final int LATITUDE = 1;
  private static final int LONGITUDE = 2;
  private static final int SPEED = 3;
  private static final int HEADING = 4;
  private static final int ALTITUDE = 5;
  private static final int ACCURACY = 6;
  private static final int ODOMETER = 7;
  private static final int IGNITION = 8;
  private static final int ATTRIBUTES_FIELD = 9;
  private static final String[] NAMES = {
    "recordedAt",
    "latitude",
    "longitude",
    "speedKmh",
    "headingDeg",
    "altitudeM",
    "accuracyM",
    "odometerKm",
    "ignition",
    "attributes"
  };

  private JsonPingReader() {}

  /**
   * Reads the object that starts at the parser's current token ({@code START_OBJECT}) and leaves
   * the parser on its {@code END_OBJECT}.
   *
   * @throws MalformedPingException when a field is missing or of the wrong type (the object has
   *     then been consumed all the same)
   * @throws tools.jackson.core.JacksonException when the input is not JSON at all
   */
  public static PingCandidate read(JsonParser in) {
    if (in.currentToken() != JsonToken.START_OBJECT) {
      in.skipChildren();
      throw new MalformedPingException("", "a ping must be a JSON object");
    }
    Fields fields = new Fields();
    String name;
    while ((name = in.nextName()) != null) {
      JsonToken token = in.nextToken();
      int field = fieldIndex(name);
      if (field < 0) {
        in.skipChildren();
        continue;
      }
      // A repeated key counts once, the last one, as a JSON tree would have it.
      fields.tokens[field] = token;
      switch (token) {
        case VALUE_STRING -> fields.text[field] = in.getString();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> fields.numbers[field] = in.getDoubleValue();
        case START_OBJECT -> {
          if (field == ATTRIBUTES_FIELD) {
            fields.readAttributes(in);
          } else {
            in.skipChildren();
          }
        }
        case START_ARRAY -> in.skipChildren();
        default -> {}
      }
    }
    return fields.toCandidate();
  }

  private static int fieldIndex(String name) {
    return switch (name) {
      case "recordedAt" -> RECORDED_AT;
      case "latitude" -> LATITUDE;
      case "longitude" -> LONGITUDE;
      case "speedKmh" -> SPEED;
      case "headingDeg" -> HEADING;
      case "altitudeM" -> ALTITUDE;
      case "accuracyM" -> ACCURACY;
      case "odometerKm" -> ODOMETER;
      case "ignition" -> IGNITION;
      case "attributes" -> ATTRIBUTES_FIELD;
      default -> -1;
    };
  }

  /** What one ping object held for each known field, before any checking. */
  private static final class Fields {

    final JsonToken[] tokens = new JsonToken[NAMES.length];
    final String[] text = new String[NAMES.length];
    final double[] numbers = new double[NAMES.length];
    Map<String, Object> attributes;
    MalformedPingException attributesProblem;

    /** Reads the attributes object; a problem with it is kept until the fields are checked. */
    void readAttributes(JsonParser in) {
      try {
        attributes = AttributesReader.read(in);
        attributesProblem = null;
      } catch (MalformedPingException e) {
        attributes = null;
        attributesProblem = e;
      }
    }

    PingCandidate toCandidate() {
      return new PingCandidate(
          instant(RECORDED_AT),
          new Measurements(
              requiredNumber(LATITUDE),
              requiredNumber(LONGITUDE),
              optionalNumber(SPEED),
              optionalNumber(HEADING),
              optionalNumber(ALTITUDE),
              optionalNumber(ACCURACY),
              optionalNumber(ODOMETER),
              optionalBoolean(IGNITION)),
          attributes());
    }

    private boolean absent(int field) {
      return tokens[field] == null || tokens[field] == JsonToken.VALUE_NULL;
    }

    private Instant instant(int field) {
      String name = NAMES[field];
      if (absent(field)) {
        throw new MalformedPingException(name, name + " is required");
      }
      if (tokens[field] != JsonToken.VALUE_STRING) {
        throw new MalformedPingException(name, name + " must be an ISO-8601 string");
      }
      try {
        if (text[field].length() > DeviceText.MAX_TIME_CHARS) {
          throw new DateTimeException("too long for a time");
        }
        return IsoTime.parse(text[field]);
      } catch (DateTimeException e) {
        throw new MalformedPingException(
            name,
            name
                + " must be ISO-8601 with an offset, e.g. 2026-11-26T08:00:00Z, was "
                + DeviceText.quoted(text[field]));
      }
    }

    private double requiredNumber(int field) {
      Double value = optionalNumber(field);
      if (value == null) {
        throw new MalformedPingException(NAMES[field], NAMES[field] + " is required");
      }
      return value;
    }

    private Double optionalNumber(int field) {
      if (absent(field)) {
        return null;
      }
      if (!tokens[field].isNumeric()) {
        throw new MalformedPingException(NAMES[field], NAMES[field] + " must be a number");
      }
      return numbers[field];
    }

    private Boolean optionalBoolean(int field) {
      if (absent(field)) {
        return null;
      }
      if (!tokens[field].isBoolean()) {
        throw new MalformedPingException(NAMES[field], NAMES[field] + " must be true or false");
      }
      return tokens[field] == JsonToken.VALUE_TRUE;
    }

    private Map<String, Object> attributes() {
      if (absent(ATTRIBUTES_FIELD)) {
        return Map.of();
      }
      if (tokens[ATTRIBUTES_FIELD] != JsonToken.START_OBJECT) {
        throw new MalformedPingException("attributes", "attributes must be a JSON object");
      }
      if (attributesProblem != null) {
        throw attributesProblem;
      }
      return attributes;
    }
  }
}
