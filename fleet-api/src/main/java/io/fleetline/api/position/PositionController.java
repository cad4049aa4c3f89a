package io.fleetline.api.position;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.problem.ApiProblem;
import io.fleetline.common.FleetlineJson;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;

/** Where the caller's vehicles are now. */
@RestController
class PositionController {

  private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;

  PositionController(JdbcClient jdbc, CallerFleet callerFleet) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
  }

  @GetMapping("/api/v1/vehicles/{vehicleId}/position")
  PositionView position(@PathVariable UUID vehicleId, Authentication caller) {
    // One query tells "no such vehicle in this fleet" from "no position yet".
    Optional<Optional<PositionView>> found =
        jdbc.sql(
                """
                SELECT v.id AS vehicle_id, p.recorded_at, p.received_at, ST_Y(p.location) AS lat,
                       ST_X(p.location) AS lon, p.speed_kmh, p.heading_deg, p.altitude_m,
                       p.accuracy_m, p.ignition, p.attributes::text AS attributes
                FROM vehicles v LEFT JOIN latest_positions p ON p.vehicle_id = v.id
                WHERE v.id = ? AND v.fleet_id = ?""")
            .params(vehicleId, callerFleet.of(caller))
            .query((rs, row) -> Optional.ofNullable(mapPosition(rs)))
            .optional();
    return found
        .orElseThrow(() -> ApiProblem.notFound("Vehicle " + vehicleId))
        .orElseThrow(() -> ApiProblem.notFound("A position of vehicle " + vehicleId));
  }

  static PositionView mapPosition(ResultSet rs) throws SQLException {
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
