package io.fleetline.api.position;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.geojson.GeoJson;
import io.fleetline.api.geojson.JsonOrGeoJson;
import io.fleetline.api.geojson.JsonOrGeoJsonBody;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Where the caller's vehicles are now. */
@RestController
@Tag(name = "Positions", description = "Where the vehicles are now")
class PositionController {

  private static final byte[] EMPTY_PAGE =
      "{\"items\":[],\"nextCursor\":null}".getBytes(StandardCharsets.US_ASCII);

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;
  private final JsonMapper json;

  PositionController(JdbcClient jdbc, CallerFleet callerFleet, JsonMapper json) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
    this.json = json;
  }

  @GetMapping(
      path = "/api/v1/vehicles/{vehicleId}/position",
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "getVehiclePosition", summary = "Get a vehicle's latest position")
  PositionView position(@PathVariable UUID vehicleId, Authentication caller) {
    // One query tells "no such vehicle in this fleet" from "no position yet".
    Optional<Optional<PositionView>> found =
        jdbc.sql(
                "SELECT "
                    + PositionColumn.SELECT
                    + " FROM vehicles v LEFT JOIN latest_positions p ON p.vehicle_id = v.id"
                    + " WHERE v.id = ? AND v.fleet_id = ?")
            .params(vehicleId, callerFleet.of(caller))
            .query((rs, row) -> Optional.ofNullable(PositionRows.map(rs)))
            .optional();
    return found
        .orElseThrow(() -> ApiProblem.notFound("Vehicle " + vehicleId))
        .orElseThrow(() -> ApiProblem.notFound("A position of vehicle " + vehicleId));
  }

  /** Latest positions of the fleet's vehicles inside a bounding box or a circle. */
  @GetMapping(
      path = "/api/v1/positions",
      produces = {MediaType.APPLICATION_JSON_VALUE, GeoJson.MEDIA_TYPE_VALUE})
  @JsonOrGeoJson(PositionPage.class)
  @Operation(
      operationId = "listPositions",
      summary = "Latest positions in a bounding box or within a radius")
  ResponseEntity<Object> inArea(
      @RequestParam(required = false) String bbox,
      @RequestParam(required = false) String near,
      @RequestParam(required = false) Double radiusM,
      Paging paging,
      Authentication caller) {
    AreaQuery area = AreaQuery.parse(bbox, near, radiusM);
    UUID fleetId = callerFleet.of(caller);
    UUID after = paging.afterId();
    Map<String, Object> params = new HashMap<>();
    String where = condition(area, params);
    String sql =
        "SELECT "
            + PositionColumn.SELECT
            + " FROM latest_positions p WHERE p.fleet_id = :fleet"
            // No "cursor IS NULL OR ..." here: a generic plan would then walk every vehicle.
            + (after == null ? "" : " AND p.vehicle_id > :after")
            + " AND "
            + where
            + " ORDER BY p.vehicle_id LIMIT :limit";
    params.put("fleet", fleetId);
    if (after != null) {
      params.put("after", after);
    }
    params.put("limit", paging.fetch());
    return ResponseEntity.ok(
        new JsonOrGeoJsonBody(
            () ->
                jdbc.sql(sql)
                    .params(params)
                    .query(PositionJson.page(json, paging.limit(), PositionJson.Order.BY_VEHICLE))
                    .orElse(EMPTY_PAGE),
            () -> jdbc.sql(sql).params(params).query(PositionJson.points(json, paging.limit()))));
  }

  /**
   * The SQL condition on {@code p.location} for an area, its parameters put into {@code params}. A
   * circle is first narrowed by boxes that contain it, which the geometry index answers; {@code
   * ST_DWithin} on geography then keeps exactly the vehicles within radiusM on the spheroid.
   */
  static String condition(AreaQuery area, Map<String, Object> params) {
    if (area instanceof AreaQuery.BoundingBox b) {
      return envelope(b, "", params);
    }
    AreaQuery.Circle c = (AreaQuery.Circle) area;
    List<AreaQuery.BoundingBox> boxes =
        CircleBounds.around(c.latitude(), c.longitude(), c.radiusM());
    StringBuilder where = new StringBuilder("(");
    for (int i = 0; i < boxes.size(); i++) {
      where.append(i == 0 ? "" : " OR ").append(envelope(boxes.get(i), "b" + i, params));
    }
    params.put("lon", c.longitude());
    params.put("lat", c.latitude());
    params.put("radius", c.radiusM());
    return where
        .append(") AND ST_DWithin(p.location::geography,")
        .append(" ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography, :radius)")
        .toString();
  }

  /**
   * {@code p.location} overlaps the box; its corners become parameters named with {@code prefix}.
   */
  private static String envelope(
      AreaQuery.BoundingBox box, String prefix, Map<String, Object> params) {
    params.put(prefix + "minLon", box.minLon());
    params.put(prefix + "minLat", box.minLat());
    params.put(prefix + "maxLon", box.maxLon());
    params.put(prefix + "maxLat", box.maxLat());
    return "p.location && ST_MakeEnvelope(:%1$sminLon, :%1$sminLat, :%1$smaxLon, :%1$smaxLat, 4326)"
        .formatted(prefix);
  }
}
