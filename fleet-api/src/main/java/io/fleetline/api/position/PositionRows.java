package io.fleetline.api.position;

import io.fleetline.common.FleetlineJson;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;

/** Reads positions from {@code positions} and {@code latest_positions} rows (alias {@code p}). */
public final class PositionRows {

  /** The columns {@link #map} reads. */
  public static final String COLUMNS =
      """
      p.vehicle_id, p.recorded_at, p.received_at, ST_Y(p.location) AS lat, ST_X(p.location) AS lon,
      p.speed_kmh, p.heading_deg, p.altitude_m, p.accuracy_m, p.ignition,
      p.attributes::text AS attributes""";

  private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {};

  private PositionRows() {}

  /** Maps a row with the columns of {@link #COLUMNS}; {@code null} when it has no position. */
  public static PositionView map(ResultSet rs) throws SQLException {
    OffsetDateTime recordedAt = rs.getObject("recorded_at", OffsetDateTime.class);
    if (recordedAt == null) {
      return null;
    }
    String attributes = rs.getString("attributes");
    return new PositionView(
        rs.getObject("vehicle_id", UUID.class),
        recordedAt.toInstant(),
        rs.getObject("received_at", OffsetDateTime.class).toInstant(),
        rs.getDouble("lat"),
        rs.getDouble("lon"),
        (Float) rs.getObject("speed_kmh"),
        (Float) rs.getObject("heading_deg"),
        (Float) rs.getObject("altitude_m"),
        (Float) rs.getObject("accuracy_m"),
        (Boolean) rs.getObject("ignition"),
        attributes == null
            ? Map.of()
            : FleetlineJson.mapper()
                .readValue(attributes.getBytes(StandardCharsets.UTF_8), ATTRIBUTES));
  }
}
