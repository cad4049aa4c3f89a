package io.fleetline.api.position;

import io.fleetline.api.paging.Cursors;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.IsoTime;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.ResultSetExtractor;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a page of positions ({@code {"items":[…],"nextCursor":…}}, the JSON of a {@code
 * Page<PositionView>}) straight from the rows of a {@link PositionRows#COLUMNS} query into bytes: a
 * 1000-point track page then costs no position objects, and the connection is back in the pool
 * before the answer is sent.
 */
public final class PositionJson {

  /** How the next page's cursor is made from the last position of this one. */
  public enum Order {
    /** Area queries, ordered by vehicle id. */
    BY_VEHICLE,
    /** Tracks, ordered by recordedAt (the cursor keeps microseconds). */
    BY_TIME
  }

  private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {};

  // Names encoded once rather than escaped and encoded again for every position of every page.
  private static final SerializableString ITEMS = new SerializedString("items");
  private static final SerializableString NEXT_CURSOR = new SerializedString("nextCursor");
  private static final SerializableString VEHICLE_ID = new SerializedString("vehicleId");
  private static final SerializableString RECORDED_AT = new SerializedString("recordedAt");
  private static final SerializableString RECEIVED_AT = new SerializedString("receivedAt");
  private static final SerializableString LATITUDE = new SerializedString("latitude");
  private static final SerializableString LONGITUDE = new SerializedString("longitude");
  private static final SerializableString SPEED_KMH = new SerializedString("speedKmh");
  private static final SerializableString HEADING_DEG = new SerializedString("headingDeg");
  private static final SerializableString ALTITUDE_M = new SerializedString("altitudeM");
  private static final SerializableString ACCURACY_M = new SerializedString("accuracyM");
  private static final SerializableString IGNITION = new SerializedString("ignition");
  private static final SerializableString ATTRIBUTES_NAME = new SerializedString("attributes");
  private static final SerializableString TYPE = new SerializedString("type");
  private static final SerializableString ID = new SerializedString("id");
  private static final SerializableString FEATURES = new SerializedString("features");
  private static final SerializableString GEOMETRY = new SerializedString("geometry");
  private static final SerializableString COORDINATES = new SerializedString("coordinates");
  private static final SerializableString PROPERTIES = new SerializedString("properties");
  private static final SerializableString FEATURE_COLLECTION =
      new SerializedString("FeatureCollection");
  private static final SerializableString FEATURE = new SerializedString("Feature");
  private static final SerializableString POINT = new SerializedString("Point");
  private static final SerializableString LINE_STRING = new SerializedString("LineString");

  private PositionJson() {}

  /**
   * The page of the first {@code limit} positions of {@code limit + 1} fetched rows; a row without
   * a position (a left join that found none) is skipped. Empty when there was no row at all.
   */
  public static ResultSetExtractor<Optional<byte[]>> page(
      JsonMapper mapper, int limit, Order order) {
    return rs -> {
      if (!rs.next()) {
        return Optional.empty();
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(limit * 260 + 64);
      String nextCursor = null;
      try (JsonGenerator json = mapper.createGenerator(bytes)) {
        Row row = new Row();
        json.writeStartObject();
        json.writeName(ITEMS);
        json.writeStartArray();
        int written = 0;
        OffsetDateTime lastRecordedAt = null;
        do {
          OffsetDateTime recordedAt = rs.getObject(2, OffsetDateTime.class);
          if (recordedAt == null) {
            continue;
          }
          if (written == limit) {
            nextCursor =
                Cursors.encode(
                    order == Order.BY_VEHICLE
                        ? row.vehicleId
                        : Cursors.instantKey(lastRecordedAt.toInstant()));
            break;
          }
          row.read(rs);
          writePosition(json, rs, row, recordedAt);
          written++;
          lastRecordedAt = recordedAt;
        } while (rs.next());
        json.writeEndArray();
        json.writeName(NEXT_CURSOR);
        json.writeString(nextCursor);
        json.writeEndObject();
      }
      return Optional.of(bytes.toByteArray());
    };
  }

  /**
   * The GeoJSON FeatureCollection of the first {@code limit} latest positions of {@code limit + 1}
   * rows ordered by vehicle, one Point Feature each (the position without latitude and longitude as
   * its properties), with {@code nextCursor} as a foreign member.
   */
  public static ResultSetExtractor<byte[]> points(JsonMapper mapper, int limit) {
    return rs -> {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(limit * 330 + 64);
      String nextCursor = null;
      try (JsonGenerator json = mapper.createGenerator(bytes)) {
        Row row = new Row();
        startCollection(json);
        int written = 0;
        while (rs.next()) {
          OffsetDateTime recordedAt = rs.getObject(2, OffsetDateTime.class);
          if (recordedAt == null) {
            continue;
          }
          if (written == limit) {
            nextCursor = Cursors.encode(row.vehicleId);
            break;
          }
          row.read(rs);
          json.writeStartObject();
          json.writeName(TYPE);
          json.writeString(FEATURE);
          json.writeName(ID);
          json.writeRawUTF8String(row.vehicleIdBytes, 0, row.vehicleIdBytes.length);
          json.writeName(GEOMETRY);
          json.writeStartObject();
          json.writeName(TYPE);
          json.writeString(POINT);
          json.writeName(COORDINATES);
          json.writeStartArray();
          json.writeNumber(rs.getDouble(5));
          json.writeNumber(rs.getDouble(4));
          json.writeEndArray();
          json.writeEndObject();
          json.writeName(PROPERTIES);
          json.writeStartObject();
          writeFields(json, rs, row, recordedAt, false);
          json.writeEndObject();
          json.writeEndObject();
          written++;
        }
        endCollection(json, nextCursor);
      }
      return bytes.toByteArray();
    };
  }

  /**
   * A track page as GeoJSON: one LineString Feature of the first {@code limit} positions of {@code
   * limit + 1} rows in time order, with {@code vehicleId} and the points' {@code recordedAt} and
   * {@code speedKmh} as properties, or no Feature when the page is empty. Empty when there was no
   * row at all (no such vehicle).
   */
  public static ResultSetExtractor<Optional<byte[]>> line(JsonMapper mapper, int limit) {
    return rs -> {
      if (!rs.next()) {
        return Optional.empty();
      }
      String vehicleId = null;
      double[] longitudes = new double[Math.min(limit, 1024)];
      double[] latitudes = new double[longitudes.length];
      float[] speeds = new float[longitudes.length];
      boolean[] speedMissing = new boolean[longitudes.length];
      Instant[] times = new Instant[longitudes.length];
      int n = 0;
      String nextCursor = null;
      do {
        OffsetDateTime recordedAt = rs.getObject(2, OffsetDateTime.class);
        if (recordedAt == null) {
          continue;
        }
        if (n == limit) {
          nextCursor = Cursors.encode(Cursors.instantKey(times[n - 1]));
          break;
        }
        if (n == longitudes.length) {
          longitudes = Arrays.copyOf(longitudes, n * 2);
          latitudes = Arrays.copyOf(latitudes, n * 2);
          speeds = Arrays.copyOf(speeds, n * 2);
          speedMissing = Arrays.copyOf(speedMissing, n * 2);
          times = Arrays.copyOf(times, n * 2);
        }
        vehicleId = rs.getString(1);
        times[n] = recordedAt.toInstant();
        latitudes[n] = rs.getDouble(4);
        longitudes[n] = rs.getDouble(5);
        speeds[n] = rs.getFloat(6);
        speedMissing[n] = rs.wasNull();
        n++;
      } while (rs.next());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(n * 80 + 256);
      try (JsonGenerator json = mapper.createGenerator(bytes)) {
        startCollection(json);
        if (n > 0) {
          Row row = new Row();
          json.writeStartObject();
          json.writeName(TYPE);
          json.writeString(FEATURE);
          json.writeName(ID);
          json.writeString(vehicleId);
          json.writeName(GEOMETRY);
          json.writeStartObject();
          json.writeName(TYPE);
          json.writeString(LINE_STRING);
          json.writeName(COORDINATES);
          json.writeStartArray();
          for (int i = 0; i < n; i++) {
            json.writeStartArray();
            json.writeNumber(longitudes[i]);
            json.writeNumber(latitudes[i]);
            json.writeEndArray();
          }
          json.writeEndArray();
          json.writeEndObject();
          json.writeName(PROPERTIES);
          json.writeStartObject();
          json.writeName(VEHICLE_ID);
          json.writeString(vehicleId);
          json.writeName(RECORDED_AT);
          json.writeStartArray();
          for (int i = 0; i < n; i++) {
            writeTime(json, row, times[i]);
          }
          json.writeEndArray();
          json.writeName(SPEED_KMH);
          json.writeStartArray();
          for (int i = 0; i < n; i++) {
            if (speedMissing[i]) {
              json.writeNull();
            } else {
              json.writeNumber(speeds[i]);
            }
          }
          json.writeEndArray();
          json.writeEndObject();
          json.writeEndObject();
        }
        endCollection(json, nextCursor);
      }
      return Optional.of(bytes.toByteArray());
    };
  }

  private static void startCollection(JsonGenerator json) {
    json.writeStartObject();
    json.writeName(TYPE);
    json.writeString(FEATURE_COLLECTION);
    json.writeName(FEATURES);
    json.writeStartArray();
  }

  private static void endCollection(JsonGenerator json, String nextCursor) {
    json.writeEndArray();
    json.writeName(NEXT_CURSOR);
    json.writeString(nextCursor);
    json.writeEndObject();
  }

  /**
   * The parts of a row that are written as raw UTF-8 strings: a track page repeats one vehicle id,
   * which is then encoded once.
   */
  private static final class Row {
    String vehicleId;
    byte[] vehicleIdBytes;
    final byte[] time = new byte[IsoTime.MAX_FORMATTED_BYTES];

    void read(ResultSet rs) throws SQLException {
      String id = rs.getString(1);
      if (!id.equals(vehicleId)) {
        vehicleId = id;
        vehicleIdBytes = id.getBytes(StandardCharsets.US_ASCII);
      }
    }
  }

  private static void writePosition(
      JsonGenerator json, ResultSet rs, Row row, OffsetDateTime recordedAt) throws SQLException {
    json.writeStartObject();
    writeFields(json, rs, row, recordedAt, true);
    json.writeEndObject();
  }

  /** A position's fields; without latitude and longitude when they are a Feature's geometry. */
  private static void writeFields(
      JsonGenerator json, ResultSet rs, Row row, OffsetDateTime recordedAt, boolean coordinates)
      throws SQLException {
    json.writeName(VEHICLE_ID);
    // A UUID and an ISO time are ASCII with nothing to escape.
    json.writeRawUTF8String(row.vehicleIdBytes, 0, row.vehicleIdBytes.length);
    json.writeName(RECORDED_AT);
    writeTime(json, row, recordedAt);
    json.writeName(RECEIVED_AT);
    writeTime(json, row, rs.getObject(3, OffsetDateTime.class));
    if (coordinates) {
      json.writeName(LATITUDE);
      json.writeNumber(rs.getDouble(4));
      json.writeName(LONGITUDE);
      json.writeNumber(rs.getDouble(5));
    }
    writeFloat(json, SPEED_KMH, rs, 6);
    writeFloat(json, HEADING_DEG, rs, 7);
    writeFloat(json, ALTITUDE_M, rs, 8);
    writeFloat(json, ACCURACY_M, rs, 9);
    json.writeName(IGNITION);
    boolean ignition = rs.getBoolean(10);
    if (rs.wasNull()) {
      json.writeNull();
    } else {
      json.writeBoolean(ignition);
    }
    json.writeName(ATTRIBUTES_NAME);
    String attributes = rs.getString(11);
    if (attributes == null || attributes.equals("{}")) {
      json.writeStartObject();
      json.writeEndObject();
    } else {
      // Parsed and written again, so that jsonb's own spacing does not reach the client.
      json.writePOJO(
          FleetlineJson.mapper()
              .readValue(attributes.getBytes(StandardCharsets.UTF_8), ATTRIBUTES));
    }
  }

  private static void writeTime(JsonGenerator json, Row row, OffsetDateTime time) {
    writeTime(json, row, time.toInstant());
  }

  private static void writeTime(JsonGenerator json, Row row, Instant instant) {
    int length = IsoTime.formatMillisTo(instant, row.time, 0);
    if (length < 0) {
      json.writeString(IsoTime.formatMillis(instant));
    } else {
      json.writeRawUTF8String(row.time, 0, length);
    }
  }

  private static void writeFloat(
      JsonGenerator json, SerializableString name, ResultSet rs, int column) throws SQLException {
    json.writeName(name);
    float value = rs.getFloat(column);
    if (rs.wasNull()) {
      json.writeNull();
    } else {
      json.writeNumber(value);
    }
  }
}
