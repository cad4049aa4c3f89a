package io.fleetline.api.position;

import io.fleetline.api.paging.Cursors;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.IsoTime;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.ResultSetExtractor;
import tools.jackson.core.JsonGenerator;
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
        json.writeStartObject();
        json.writeName("items");
        json.writeStartArray();
        int written = 0;
        String lastKey = null;
        do {
          OffsetDateTime recordedAt = rs.getObject(2, OffsetDateTime.class);
          if (recordedAt == null) {
            continue;
          }
          if (written == limit) {
            nextCursor = Cursors.encode(lastKey);
            break;
          }
          String vehicleId = rs.getString(1);
          writePosition(json, rs, vehicleId, recordedAt);
          written++;
          lastKey =
              order == Order.BY_VEHICLE ? vehicleId : Cursors.instantKey(recordedAt.toInstant());
        } while (rs.next());
        json.writeEndArray();
        json.writeName("nextCursor");
        json.writeString(nextCursor);
        json.writeEndObject();
      }
      return Optional.of(bytes.toByteArray());
    };
  }

  private static void writePosition(
      JsonGenerator json, ResultSet rs, String vehicleId, OffsetDateTime recordedAt)
      throws SQLException {
    json.writeStartObject();
    json.writeName("vehicleId");
    json.writeString(vehicleId);
    json.writeName("recordedAt");
    writeTime(json, recordedAt);
    json.writeName("receivedAt");
    writeTime(json, rs.getObject(3, OffsetDateTime.class));
    json.writeName("latitude");
    json.writeNumber(rs.getDouble(4));
    json.writeName("longitude");
    json.writeNumber(rs.getDouble(5));
    writeFloat(json, "speedKmh", rs, 6);
    writeFloat(json, "headingDeg", rs, 7);
    writeFloat(json, "altitudeM", rs, 8);
    writeFloat(json, "accuracyM", rs, 9);
    json.writeName("ignition");
    boolean ignition = rs.getBoolean(10);
    if (rs.wasNull()) {
      json.writeNull();
    } else {
      json.writeBoolean(ignition);
    }
    json.writeName("attributes");
    String attributes = rs.getString(11);
    if (attributes == null) {
      json.writeStartObject();
      json.writeEndObject();
    } else {
      // Parsed and written again, so that jsonb's own spacing does not reach the client.
      json.writePOJO(
          FleetlineJson.mapper()
              .readValue(attributes.getBytes(StandardCharsets.UTF_8), ATTRIBUTES));
    }
    json.writeEndObject();
  }

  private static void writeTime(JsonGenerator json, OffsetDateTime time) {
    json.writeString(IsoTime.formatMillis(time.toInstant()));
  }

  private static void writeFloat(JsonGenerator json, String name, ResultSet rs, int column)
      throws SQLException {
    json.writeName(name);
    float value = rs.getFloat(column);
    if (rs.wasNull()) {
      json.writeNull();
    } else {
      json.writeNumber(value);
    }
  }
}
