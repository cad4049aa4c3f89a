package io.fleetline.api.position;

import io.fleetline.common.VehiclePing;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * The fields of a position, declared once, in the order the API writes them: each with its JSON
 * name, the SQL that selects it from a {@code positions} or {@code latest_positions} row (alias
 * {@code p}), its {@link PositionType} (how it is read from a row and written as JSON) and how it
 * is read from a ping on Kafka. The SELECT list, the row mapping, the JSON and GeoJSON writers and
 * the live stream all follow this table; {@link PositionView} is the documented shape of the same
 * fields and is checked against it.
 */
public enum PositionColumn {
  VEHICLE_ID("vehicleId", "p.vehicle_id", PositionType.ID, VehiclePing::vehicleId),
  RECORDED_AT("recordedAt", "p.recorded_at", PositionType.TIME, VehiclePing::recordedAt),
  RECEIVED_AT("receivedAt", "p.received_at", PositionType.TIME, VehiclePing::receivedAt),
  LATITUDE(
      "latitude",
      "ST_Y(p.location) AS lat",
      PositionType.COORDINATE,
      p -> p.measurements().latitude()),
  LONGITUDE(
      "longitude",
      "ST_X(p.location) AS lon",
      PositionType.COORDINATE,
      p -> p.measurements().longitude()),
  SPEED_KMH("speedKmh", "p.speed_kmh", PositionType.MEASURE, p -> p.measurements().speedKmh()),
  HEADING_DEG(
      "headingDeg", "p.heading_deg", PositionType.MEASURE, p -> p.measurements().headingDeg()),
  ALTITUDE_M("altitudeM", "p.altitude_m", PositionType.MEASURE, p -> p.measurements().altitudeM()),
  ACCURACY_M("accuracyM", "p.accuracy_m", PositionType.MEASURE, p -> p.measurements().accuracyM()),
  IGNITION("ignition", "p.ignition", PositionType.FLAG, p -> p.measurements().ignition()),
  DIAGNOSTICS(
      "diagnostics",
      "p.diagnostics::text AS diagnostics",
      PositionType.DIAGNOSTICS,
      p -> p.measurements().diagnostics()),
  ATTRIBUTES(
      "attributes",
      "p.attributes::text AS attributes",
      PositionType.ATTRIBUTES,
      VehiclePing::attributes);

  /** Every column, in table order. */
  public static final List<PositionColumn> ALL = List.of(values());

  /** The SELECT list of the table, in its order: column {@code c} is at {@link #index()}. */
  public static final String SELECT =
      Arrays.stream(values()).map(c -> c.sql).collect(Collectors.joining(", "));

  private final String name;
  private final SerializableString jsonName;
  private final String sql;
  private final PositionType type;
  private final Function<VehiclePing, Object> fromPing;

  PositionColumn(
      String name, String sql, PositionType type, Function<VehiclePing, Object> fromPing) {
    this.name = name;
    this.jsonName = new SerializedString(name);
    this.sql = sql;
    this.type = type;
    this.fromPing = fromPing;
  }

  /** The field's name in JSON and in {@link PositionView}. */
  public String fieldName() {
    return name;
  }

  /** The SQL expression that selects it. */
  public String sql() {
    return sql;
  }

  /** Its JDBC column index in a row selected with {@link #SELECT}. */
  public int index() {
    return ordinal() + 1;
  }

  /** Whether it is a coordinate, the geometry of a GeoJSON Feature rather than a property. */
  public boolean coordinate() {
    return type == PositionType.COORDINATE;
  }

  SerializableString jsonName() {
    return jsonName;
  }

  PositionType type() {
    return type;
  }

  /** Its value in a ping, as the type writes it. */
  Object of(VehiclePing ping) {
    return fromPing.apply(ping);
  }
}
