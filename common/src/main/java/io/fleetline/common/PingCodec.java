package io.fleetline.common;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
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
  private static final SerializableString ATTRIBUTES = new SerializedString("attributes");

  private static final TypeReference<Map<String, Object>> ATTRIBUTE_MAP = new TypeReference<>() {};

  private PingCodec() {}

  public static byte[] write(VehiclePing ping) {
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
      out.writeName(LATITUDE);
      out.writeNumber(ping.latitude());
      out.writeName(LONGITUDE);
      out.writeNumber(ping.longitude());
      number(out, SPEED, ping.speedKmh());
      number(out, HEADING, ping.headingDeg());
      number(out, ALTITUDE, ping.altitudeM());
      number(out, ACCURACY, ping.accuracyM());
      number(out, ODOMETER, ping.odometerKm());
      out.writeName(IGNITION);
      if (ping.ignition() == null) {
        out.writeNull();
      } else {
        out.writeBoolean(ping.ignition());
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
          case "attributes" -> attributes = in.readValueAs(ATTRIBUTE_MAP);
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
          latitude,
          longitude,
          speed,
          heading,
          altitude,
          accuracy,
          odometer,
          ignition,
          attributes);
    }
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
