package io.fleetline.api.position;

import io.fleetline.common.Diagnostics;
import io.fleetline.common.FleetlineJson;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.type.TypeReference;

/**
 * How a kind of position field is read from a database row and written as JSON: as a value of
 * {@link PositionView}'s type, or copied from the row into the JSON without one, on the paths that
 * write pages of a thousand positions. Both ways write what the API's JSON mapper writes for the
 * value.
 */
enum PositionType {
  /** A UUID, written as its text. */
  ID {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      return rs.getObject(column, UUID.class);
    }

    @Override
    void copy(ResultSet rs, int column, JsonGenerator json, PositionBuffer buffer)
        throws SQLException {
      byte[] id = buffer.ascii(rs.getString(column));
      // A UUID is ASCII with nothing to escape.
      json.writeRawUTF8String(id, 0, id.length);
    }

    @Override
    void write(JsonGenerator json, Object value, PositionBuffer buffer) {
      json.writeString(value.toString());
    }
  },

  /** An instant, in ISO 8601 UTC with milliseconds. */
  TIME {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
      return time == null ? null : time.toInstant();
    }

    @Override
    void write(JsonGenerator json, Object value, PositionBuffer buffer) {
      if (value == null) {
        json.writeNull();
      } else {
        buffer.writeTime(json, (Instant) value);
      }
    }
  },

  /** A latitude or longitude in degrees, never null. */
  COORDINATE {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      return rs.getDouble(column);
    }

    @Override
    void copy(ResultSet rs, int column, JsonGenerator json, PositionBuffer buffer)
        throws SQLException {
      json.writeNumber(rs.getDouble(column));
    }

    @Override
    void write(JsonGenerator json, Object value, PositionBuffer buffer) {
      json.writeNumber(((Number) value).doubleValue());
    }
  },

  /** A measurement stored as {@code real}, null when the device did not report it. */
  MEASURE {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      return (Float) rs.getObject(column);
    }

    @Override
    void copy(ResultSet rs, int column, JsonGenerator json, PositionBuffer buffer)
        throws SQLException {
      float value = rs.getFloat(column);
      if (rs.wasNull()) {
        json.writeNull();
      } else {
        json.writeNumber(value);
      }
    }

    @Override
    void write(JsonGenerator json, Object value, PositionBuffer buffer) {
      if (value == null) {
        json.writeNull();
      } else {
        json.writeNumber(((Number) value).floatValue());
      }
    }
  },

  /** A yes or no, null when unknown. */
  FLAG {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      return (Boolean) rs.getObject(column);
    }

    @Override
    void copy(ResultSet rs, int column, JsonGenerator json, PositionBuffer buffer)
        throws SQLException {
      boolean value = rs.getBoolean(column);
      if (rs.wasNull()) {
        json.writeNull();
      } else {
        json.writeBoolean(value);
      }
    }

    @Override
    void write(JsonGenerator json, Object value, PositionBuffer buffer) {
      if (value == null) {
        json.writeNull();
      } else {
        json.writeBoolean((Boolean) value);
      }
    }
  },

  /**
   * The tracker's diagnostics: the values it reported, as {@link Diagnostics} (absent ones left
   * out), selected as the text of its {@code jsonb}; {@code null} when it reported none.
   */
  DIAGNOSTICS {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      String text = rs.getString(column);
      return text == null
          ? null
          : FleetlineJson.read(text.getBytes(StandardCharsets.UTF_8), Diagnostics.class);
    }

    @Override
    void write(JsonGenerator json, Object value, PositionBuffer buffer) {
      if (value == null) {
        json.writeNull();
      } else {
        json.writePOJO(value);
      }
    }
  },

  /** The device's other values: a JSON object, selected as the text of its {@code jsonb}. */
  ATTRIBUTES {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      String text = rs.getString(column);
      return text == null ? Map.of() : parse(text);
    }

    @Override
    void copy(ResultSet rs, int column, JsonGenerator json, PositionBuffer buffer)
        throws SQLException {
      String text = rs.getString(column);
      // Parsed and written again, so that jsonb's own spacing does not reach the client.
      write(json, text == null || text.equals("{}") ? null : parse(text), buffer);
    }

    @Override
    void write(JsonGenerator json, Object value, PositionBuffer buffer) {
      if (value == null || ((Map<?, ?>) value).isEmpty()) {
        json.writeStartObject();
        json.writeEndObject();
      } else {
        json.writePOJO(value);
      }
    }
  };

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  /** The value of the column in the current row, of the type {@link PositionView} holds. */
  abstract Object read(ResultSet rs, int column) throws SQLException;

  /** Writes a value as {@link #read} or a ping gives it. */
  abstract void write(JsonGenerator json, Object value, PositionBuffer buffer);

  /** Writes the column of the current row. */
  void copy(ResultSet rs, int column, JsonGenerator json, PositionBuffer buffer)
      throws SQLException {
    write(json, read(rs, column), buffer);
  }

  private static Map<String, Object> parse(String json) {
    return FleetlineJson.mapper().readValue(json.getBytes(StandardCharsets.UTF_8), OBJECT);
  }
}
