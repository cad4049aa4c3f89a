package io.fleetline.api.position;

import io.fleetline.api.paging.Cursors;
import io.fleetline.common.VehiclePing;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.jdbc.core.ResultSetExtractor;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes positions as {@link PositionColumn} declares them: pages ({@code {"items":[…],
 * "nextCursor":…}}, the JSON of a {@code Page<PositionView>}) and GeoJSON straight from the rows of
 * a {@link PositionColumn#SELECT} query into bytes, so that a 1000-point track page costs no
 * position objects and the connection is back in the pool before the answer is sent; and a ping of
 * the live stream.
 */
public final class PositionJson {

  /** How the next page's cursor is made from the last position of this one. */
  public enum Order {
    /** Area queries, ordered by vehicle id. */
    BY_VEHICLE,
    /** Tracks, ordered by recordedAt (the cursor keeps microseconds). */
    BY_TIME
  }

  // Names encoded once rather than escaped and encoded again for every page.
  private static final SerializableString ITEMS = new SerializedString("items");
  private static final SerializableString NEXT_CURSOR = new SerializedString("nextCursor");
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

  private static final int VEHICLE_ID = PositionColumn.VEHICLE_ID.index();
  private static final int RECORDED_AT = PositionColumn.RECORDED_AT.index();
  private static final int LATITUDE = PositionColumn.LATITUDE.index();
  private static final int LONGITUDE = PositionColumn.LONGITUDE.index();
  private static final int SPEED_KMH = PositionColumn.SPEED_KMH.index();

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
        PositionBuffer buffer = new PositionBuffer();
        json.writeStartObject();
        json.writeName(ITEMS);
        json.writeStartArray();
        int written = 0;
        String lastVehicleId = null;
        String lastTimeKey = null;
        do {
          String vehicleId = rs.getString(VEHICLE_ID);
          if (vehicleId == null) {
            continue;
          }
          if (written == limit) {
            nextCursor = Cursors.encode(order == Order.BY_VEHICLE ? lastVehicleId : lastTimeKey);
            break;
          }
          if (order == Order.BY_TIME && written == limit - 1) {
            lastTimeKey = Cursors.instantKey(recordedAt(rs));
          }
          json.writeStartObject();
          writeFields(json, rs, buffer, true);
          json.writeEndObject();
          written++;
          lastVehicleId = vehicleId;
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
   * rows ordered by vehicle, one Point Feature each (the position without its coordinates as its
   * properties), with {@code nextCursor} as a foreign member.
   */
  public static ResultSetExtractor<byte[]> points(JsonMapper mapper, int limit) {
    return rs -> {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(limit * 330 + 64);
      String nextCursor = null;
      try (JsonGenerator json = mapper.createGenerator(bytes)) {
        PositionBuffer buffer = new PositionBuffer();
        startCollection(json);
        int written = 0;
        String lastVehicleId = null;
        while (rs.next()) {
          String vehicleId = rs.getString(VEHICLE_ID);
          if (vehicleId == null) {
            continue;
          }
          if (written == limit) {
            nextCursor = Cursors.encode(lastVehicleId);
            break;
          }
          json.writeStartObject();
          json.writeName(TYPE);
          json.writeString(FEATURE);
          json.writeName(ID);
          PositionColumn.VEHICLE_ID.type().copy(rs, VEHICLE_ID, json, buffer);
          json.writeName(GEOMETRY);
          json.writeStartObject();
          json.writeName(TYPE);
          json.writeString(POINT);
          json.writeName(COORDINATES);
          json.writeStartArray();
          json.writeNumber(rs.getDouble(LONGITUDE));
          json.writeNumber(rs.getDouble(LATITUDE));
          json.writeEndArray();
          json.writeEndObject();
          json.writeName(PROPERTIES);
          json.writeStartObject();
          writeFields(json, rs, buffer, false);
          json.writeEndObject();
          json.writeEndObject();
          written++;
          lastVehicleId = vehicleId;
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
        Instant recordedAt = recordedAt(rs);
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
        vehicleId = rs.getString(VEHICLE_ID);
        times[n] = recordedAt;
        latitudes[n] = rs.getDouble(LATITUDE);
        longitudes[n] = rs.getDouble(LONGITUDE);
        speeds[n] = rs.getFloat(SPEED_KMH);
        speedMissing[n] = rs.wasNull();
        n++;
      } while (rs.next());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(n * 80 + 256);
      try (JsonGenerator json = mapper.createGenerator(bytes)) {
        startCollection(json);
        if (n > 0) {
          PositionBuffer buffer = new PositionBuffer();
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
          json.writeName(PositionColumn.VEHICLE_ID.jsonName());
          json.writeString(vehicleId);
          json.writeName(PositionColumn.RECORDED_AT.jsonName());
          json.writeStartArray();
          for (int i = 0; i < n; i++) {
            buffer.writeTime(json, times[i]);
          }
          json.writeEndArray();
          json.writeName(PositionColumn.SPEED_KMH.jsonName());
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

  /** A ping of the live stream as a position, the JSON of the same fields as a page's item. */
  public static String of(JsonMapper mapper, VehiclePing ping) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(320);
    try (JsonGenerator json = mapper.createGenerator(bytes)) {
      PositionBuffer buffer = new PositionBuffer();
      json.writeStartObject();
      for (PositionColumn column : PositionColumn.ALL) {
        json.writeName(column.jsonName());
        column.type().write(json, column.of(ping), buffer);
      }
      json.writeEndObject();
    }
    return bytes.toString(StandardCharsets.UTF_8);
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
   * The row's fields in table order; without the coordinates when they are a Feature's geometry.
   */
  private static void writeFields(
      JsonGenerator json, ResultSet rs, PositionBuffer buffer, boolean coordinates)
      throws SQLException {
    for (PositionColumn column : PositionColumn.ALL) {
      if (coordinates || !column.coordinate()) {
        json.writeName(column.jsonName());
        column.type().copy(rs, column.index(), json, buffer);
      }
    }
  }

  private static Instant recordedAt(ResultSet rs) throws SQLException {
    OffsetDateTime recordedAt = rs.getObject(RECORDED_AT, OffsetDateTime.class);
    return recordedAt == null ? null : recordedAt.toInstant();
  }
}
