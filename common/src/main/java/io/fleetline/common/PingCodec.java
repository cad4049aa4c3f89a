package io.fleetline.common;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.type.TypeReference;

/**
 * The {@link VehiclePing} payload of {@link Topics#PINGS}, written and read with the streaming API:
 * ingest writes one per accepted ping and routing reads them all, so the per-ping cost of a generic
 * bean mapping matters here. The JSON is the same as {@link FleetlineJson}'s for a ping — same
 * names, order and formats — and each side reads the other's output; unknown fields are skipped.
 */
public final class PingCodec {

  private static final SerializableString V = new SerializedString("v");
  private static final SerializableString VEHICLE_ID = new SerializedString("vehicleId");
  private static final SerializableString FLEET_ID = new SerializedString("fleetId");
  private static final SerializableString DEVICE_ID = new SerializedString("deviceId");
  private static final SerializableString PROTOCOL = new SerializedString("protocol");
  private static final SerializableString RECORDED_AT = new SerializedString("recordedAt");
  private static final SerializableString RECEIVED_AT = new SerializedString("receivedAt");
  private static final SerializableString LATITUDE = new SerializedString("latitude");
  private static final SerializableString LONGITUDE = new SerializedString("longitude");
  private static final SerializableString SPEED = new SerializedString("speedKmh");
  private static final SerializableString HEADING = new SerializedString("headingDeg");
  private static final SerializableString ALTITUDE = new SerializedString("altitudeM");
  private static final SerializableString ACCURACY = new SerializedString("accuracyM");
  private static final SerializableString ODOMETER = new SerializedString("odometerKm");
  private static final SerializableString IGNITION = new SerializedString("ignition");
  private static final SerializableString DIAGNOSTICS = new SerializedString("diagnostics");
  private static final SerializableString ATTRIBUTES = new SerializedString("attributes");

  private static final TypeReference<Map<String, Object>> ATTRIBUTE_MAP = new TypeReference<>() {};

  private PingCodec() {}

  /** The payload of one ping; for many, a {@link Writer} saves an allocation per ping. */
  public static byte[] write(VehiclePing ping) {
    return new Writer().write(ping);
  }

  /**
   * Writes pings one after another through one scratch buffer, so each costs one exact-size array.
   * Not thread-safe: one per upload or per thread.
   */
  public static final class Writer {

    private byte[] buffer = new byte[512];
    private int at;

    public byte[] write(VehiclePing ping) {
      return writeDirect(ping) ? Arrays.copyOf(buffer, at) : writeGeneric(ping);
    }

    /**
     * Writes the common case byte by byte — ids, ASCII-safe protocol, four-digit-year instants,
     * finite numbers — in exactly the form the generic path produces; false for anything else.
     */
    private boolean writeDirect(VehiclePing ping) {
      at = 0;
      byte[] attributes =
          ping.attributes().isEmpty() ? null : FleetlineJson.write(ping.attributes());
      int protocolLength = ping.protocol() == null ? 0 : ping.protocol().length();
      // The fixed part is at most 551 bytes (names, three ids, two times, seven numbers).
      ensure(640 + (attributes == null ? 0 : attributes.length) + protocolLength);
      ascii("{\"v\":");
      ascii(Integer.toString(ping.v()));
      if (!uuid(",\"vehicleId\":", ping.vehicleId())
          || !uuid(",\"fleetId\":", ping.fleetId())
          || !uuid(",\"deviceId\":", ping.deviceId())) {
        return false;
      }
      Measurements m = ping.measurements();
      ascii(",\"protocol\":");
      if (!plainString(ping.protocol())) {
        return false;
      }
      if (!instant(",\"recordedAt\":", ping.recordedAt())
          || !instant(",\"receivedAt\":", ping.receivedAt())
          || !number(",\"latitude\":", m.latitude())
          || !number(",\"longitude\":", m.longitude())
          || !number(",\"speedKmh\":", m.speedKmh())
          || !number(",\"headingDeg\":", m.headingDeg())
          || !number(",\"altitudeM\":", m.altitudeM())
          || !number(",\"accuracyM\":", m.accuracyM())
          || !number(",\"odometerKm\":", m.odometerKm())) {
        return false;
      }
      ascii(",\"ignition\":");
      ascii(m.ignition() == null ? "null" : m.ignition().toString());
      if (m.diagnostics() != null) {
        // Written only when reported, so a ping without them has the bytes of version 1.
        byte[] diagnostics = FleetlineJson.write(m.diagnostics());
        ascii(",\"diagnostics\":");
        ensure(diagnostics.length);
        System.arraycopy(diagnostics, 0, buffer, at, diagnostics.length);
        at += diagnostics.length;
      }
      ascii(",\"attributes\":");
      if (attributes == null) {
        ascii("{}");
      } else {
        System.arraycopy(attributes, 0, buffer, at, attributes.length);
        at += attributes.length;
      }
      buffer[at++] = '}';
      return true;
    }

    private boolean uuid(String name, UUID value) {
      ascii(name);
      if (value == null) {
        ascii("null");
      } else {
        buffer[at++] = '"';
        hex(value.getMostSignificantBits() >>> 32, 8);
        buffer[at++] = '-';
        hex(value.getMostSignificantBits() >>> 16, 4);
        buffer[at++] = '-';
        hex(value.getMostSignificantBits(), 4);
        buffer[at++] = '-';
        hex(value.getLeastSignificantBits() >>> 48, 4);
        buffer[at++] = '-';
        hex(value.getLeastSignificantBits(), 12);
        buffer[at++] = '"';
      }
      return true;
    }

    private void hex(long bits, int digits) {
      for (int i = at + digits - 1; i >= at; i--) {
        buffer[i] = HEX[(int) (bits & 0xF)];
        bits >>>= 4;
      }
      at += digits;
    }

    private boolean instant(String name, Instant value) {
      ascii(name);
      if (value == null) {
        ascii("null");
        return true;
      }
      buffer[at++] = '"';
      int end = IsoTime.formatTo(value, buffer, at);
      if (end < 0) {
        return false;
      }
      at = end;
      buffer[at++] = '"';
      return true;
    }

    private boolean number(String name, double value) {
      ascii(name);
      if (!Double.isFinite(value)) {
        return false;
      }
      ascii(Double.toString(value));
      return true;
    }

    private boolean number(String name, Double value) {
      if (value == null) {
        ascii(name);
        ascii("null");
        return true;
      }
      return number(name, value.doubleValue());
    }

    /** A string that needs no escaping; false (nothing useful written) if it would. */
    private boolean plainString(String value) {
      if (value == null) {
        ascii("null");
        return true;
      }
      buffer[at++] = '"';
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
          return false;
        }
        buffer[at++] = (byte) c;
      }
      buffer[at++] = '"';
      return true;
    }

    private void ascii(String text) {
      ensure(text.length());
      for (int i = 0; i < text.length(); i++) {
        buffer[at++] = (byte) text.charAt(i);
      }
    }

    private void ensure(int more) {
      if (at + more > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, at + more));
      }
    }
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Through the generic mapper's generator: for what the direct writer does not cover. */
  private static byte[] writeGeneric(VehiclePing ping) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(320);
    try (JsonGenerator out = FleetlineJson.mapper().createGenerator(bytes)) {
      out.writeStartObject();
      out.writeName(V);
      out.writeNumber(ping.v());
      uuid(out, VEHICLE_ID, ping.vehicleId());
      uuid(out, FLEET_ID, ping.fleetId());
      uuid(out, DEVICE_ID, ping.deviceId());
      out.writeName(PROTOCOL);
      if (ping.protocol() == null) {
        out.writeNull();
      } else {
        out.writeString(ping.protocol());
      }
      instant(out, RECORDED_AT, ping.recordedAt());
      instant(out, RECEIVED_AT, ping.receivedAt());
      Measurements m = ping.measurements();
      out.writeName(LATITUDE);
      out.writeNumber(m.latitude());
      out.writeName(LONGITUDE);
      out.writeNumber(m.longitude());
      number(out, SPEED, m.speedKmh());
      number(out, HEADING, m.headingDeg());
      number(out, ALTITUDE, m.altitudeM());
      number(out, ACCURACY, m.accuracyM());
      number(out, ODOMETER, m.odometerKm());
      out.writeName(IGNITION);
      if (m.ignition() == null) {
        out.writeNull();
      } else {
        out.writeBoolean(m.ignition());
      }
      if (m.diagnostics() != null) {
        out.writeName(DIAGNOSTICS);
        out.writePOJO(m.diagnostics());
      }
      out.writeName(ATTRIBUTES);
      out.writePOJO(ping.attributes());
      out.writeEndObject();
    }
    return bytes.toByteArray();
  }

  /**
   * @throws tools.jackson.core.JacksonException when the payload is not a ping object
   * @throws java.time.format.DateTimeParseException when a time is not ISO-8601
   * @throws IllegalArgumentException when an id is not a UUID
   */
  public static VehiclePing read(byte[] json) {
    try (JsonParser in = FleetlineJson.mapper().createParser(json)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("a ping must be a JSON object");
      }
      int v = 0;
      UUID vehicleId = null;
      UUID fleetId = null;
      UUID deviceId = null;
      String protocol = null;
      Instant recordedAt = null;
      Instant receivedAt = null;
      double latitude = 0;
      double longitude = 0;
      Double speed = null;
      Double heading = null;
      Double altitude = null;
      Double accuracy = null;
      Double odometer = null;
      Boolean ignition = null;
      Diagnostics diagnostics = null;
      Map<String, Object> attributes = null;
      String name;
      while ((name = in.nextName()) != null) {
        JsonToken token = in.nextToken();
        if (token == JsonToken.VALUE_NULL) {
          continue;
        }
        switch (name) {
          case "v" -> v = in.getIntValue();
          case "vehicleId" -> vehicleId = UUID.fromString(in.getString());
          case "fleetId" -> fleetId = UUID.fromString(in.getString());
          case "deviceId" -> deviceId = UUID.fromString(in.getString());
          case "protocol" -> protocol = in.getString();
          case "recordedAt" -> recordedAt = IsoTime.parse(in.getString());
          case "receivedAt" -> receivedAt = IsoTime.parse(in.getString());
          case "latitude" -> latitude = in.getDoubleValue();
          case "longitude" -> longitude = in.getDoubleValue();
          case "speedKmh" -> speed = in.getDoubleValue();
          case "headingDeg" -> heading = in.getDoubleValue();
          case "altitudeM" -> altitude = in.getDoubleValue();
          case "accuracyM" -> accuracy = in.getDoubleValue();
          case "odometerKm" -> odometer = in.getDoubleValue();
          case "ignition" -> ignition = in.getBooleanValue();
          case "diagnostics" -> diagnostics = in.readValueAs(Diagnostics.class);
          case "attributes" -> attributes = attributes(in);
          default -> in.skipChildren();
        }
      }
      return new VehiclePing(
          v,
          vehicleId,
          fleetId,
          deviceId,
          protocol,
          recordedAt,
          receivedAt,
          new Measurements(
              latitude,
              longitude,
              speed,
              heading,
              altitude,
              accuracy,
              odometer,
              ignition,
              diagnostics),
          attributes);
    }
  }

  /**
   * The attributes object, read entry by entry: most pings carry none, and binding an empty object
   * through the mapper cost a quarter of a ping's decoding in routing.
   */
  private static Map<String, Object> attributes(JsonParser in) {
    if (in.currentToken() != JsonToken.START_OBJECT) {
      return in.readValueAs(ATTRIBUTE_MAP); // fails as the mapper would, naming the token
    }
    String name = in.nextName();
    if (name == null) {
      return Map.of();
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    do {
      in.nextToken();
      attributes.put(name, in.readValueAs(Object.class));
    } while ((name = in.nextName()) != null);
    return attributes;
  }

  private static void uuid(JsonGenerator out, SerializableString name, UUID value) {
    out.writeName(name);
    if (value == null) {
      out.writeNull();
    } else {
      out.writeString(value.toString());
    }
  }

  private static void instant(JsonGenerator out, SerializableString name, Instant value) {
    out.writeName(name);
    if (value == null) {
      out.writeNull();
    } else {
      out.writeString(IsoTime.format(value));
    }
  }

  private static void number(JsonGenerator out, SerializableString name, Double value) {
    out.writeName(name);
    if (value == null) {
      out.writeNull();
    } else {
      out.writeNumber(value);
    }
  }
}
