package io.fleetline.api.geofence;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.geofence.GeofenceArea.Polygon;
import io.fleetline.api.geofence.GeofenceArea.Round;
import io.fleetline.api.geofence.GeofenceViews.Center;
import io.fleetline.api.geofence.GeofenceViews.Circle;
import io.fleetline.api.geofence.GeofenceViews.GeofenceRequest;
import io.fleetline.api.geofence.GeofenceViews.GeofenceView;
import io.fleetline.api.geojson.GeoJson;
import io.fleetline.api.paging.Page;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The fleet's geofences: polygons, or circles kept as their polygon approximation. */
@RestController
@Tag(name = "Geofences", description = "Polygons and circles, with optional speed limits")
@RequestMapping("/api/v1/geofences")
class GeofenceController {

  private static final String COLUMNS =
      """
      g.id, g.name, ST_AsGeoJSON(g.area, 7) AS area, ST_Y(g.center) AS center_lat,
      ST_X(g.center) AS center_lon, g.radius_m, g.speed_limit_kmh, g.created_at, g.updated_at""";

  /**
   * The area column from a request: GeoJSON as given, or the circle's polygon as the validity check
   * computed it (hex EWKB, exact), so that its buffer on the sphere is computed once.
   */
  private static final String AREA =
      """
      CASE WHEN CAST(:geojson AS text) IS NOT NULL
           THEN ST_SetSRID(ST_GeomFromGeoJSON(CAST(:geojson AS text)), 4326)
           ELSE CAST(CAST(:circleArea AS text) AS geometry) END""";

  private static final String CENTER =
      "CASE WHEN CAST(:radius AS float8) IS NULL THEN NULL"
          + " ELSE ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) END";

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;
  private final GeofenceProperties limits;

  GeofenceController(JdbcClient jdbc, CallerFleet callerFleet, GeofenceProperties limits) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
    this.limits = limits;
  }

  @PostMapping
  @Transactional
  @Operation(operationId = "createGeofence", summary = "Create a geofence")
  ResponseEntity<GeofenceView> create(
      @Valid @RequestBody GeofenceRequest request, Authentication caller) {
    UUID fleetId = callerFleet.of(caller);
    UUID id = UUID.randomUUID();
    bind(
            jdbc.sql(
                "INSERT INTO geofences (id, fleet_id, name, area, center, radius_m,"
                    + " speed_limit_kmh) VALUES (:id, :fleet, :name, "
                    + AREA
                    + ", "
                    + CENTER
                    + ", :radius, :speedLimit)"),
            request)
        .param("id", id)
        .param("fleet", fleetId)
        .update();
    return ResponseEntity.created(URI.create("/api/v1/geofences/" + id)).body(find(fleetId, id));
  }

  @GetMapping
  @Operation(operationId = "listGeofences", summary = "List the fleet's geofences")
  Page<GeofenceView> list(Paging paging, Authentication caller) {
    List<GeofenceView> fetched =
        jdbc.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM geofences g WHERE g.fleet_id = :fleet"
                    + " AND (CAST(:after AS uuid) IS NULL OR g.id > :after)"
                    + " ORDER BY g.id LIMIT :limit")
            .param("fleet", callerFleet.of(caller))
            .param("after", paging.afterId())
            .param("limit", paging.fetch())
            .query((rs, row) -> view(rs))
            .list();
    return paging.page(fetched, g -> g.id().toString());
  }

  @GetMapping("/{geofenceId}")
  @Operation(operationId = "getGeofence", summary = "Get a geofence")
  GeofenceView get(@PathVariable UUID geofenceId, Authentication caller) {
    return find(callerFleet.of(caller), geofenceId);
  }

  @PutMapping("/{geofenceId}")
  @Transactional
  @Operation(operationId = "replaceGeofence", summary = "Replace a geofence")
  GeofenceView replace(
      @PathVariable UUID geofenceId,
      @Valid @RequestBody GeofenceRequest request,
      Authentication caller) {
    UUID fleetId = callerFleet.of(caller);
    int updated =
        bind(
                jdbc.sql(
                    "UPDATE geofences SET name = :name, area = "
                        + AREA
                        + ", center = "
                        + CENTER
                        + ", radius_m = :radius, speed_limit_kmh = :speedLimit,"
                        + " updated_at = now() WHERE id = :id AND fleet_id = :fleet"),
                request)
            .param("id", geofenceId)
            .param("fleet", fleetId)
            .update();
    if (updated == 0) {
      throw ApiProblem.notFound("Geofence " + geofenceId);
    }
    return find(fleetId, geofenceId);
  }

  @DeleteMapping("/{geofenceId}")
  @Operation(operationId = "deleteGeofence", summary = "Delete a geofence")
  ResponseEntity<Void> delete(@PathVariable UUID geofenceId, Authentication caller) {
    int deleted =
        jdbc.sql("DELETE FROM geofences WHERE id = ? AND fleet_id = ?")
            .params(geofenceId, callerFleet.of(caller))
            .update();
    if (deleted == 0) {
      throw ApiProblem.notFound("Geofence " + geofenceId);
    }
    return ResponseEntity.noContent().build();
  }

  /** Binds the request's name, area and limit, after PostGIS has judged a polygon valid. */
  private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, GeofenceRequest r) {
    GeofenceArea.Parsed area = GeofenceArea.parse(r.area(), limits);
    String geoJson = null;
    Circle circle = null;
    String circleArea = null;
    if (area instanceof Polygon polygon) {
      geoJson = polygon.geoJson();
      String reason;
      try {
        reason =
            jdbc.sql("SELECT ST_IsValidReason(ST_GeomFromGeoJSON(?))")
                .param(geoJson)
                .query(String.class)
                .single();
      } catch (DataAccessException e) {
        throw ApiProblem.badRequest("area", "PostGIS cannot read the polygon");
      }
      if (!"Valid Geometry".equals(reason)) {
        throw ApiProblem.badRequest("area", "the polygon is not valid: " + reason);
      }
    } else {
      circle = ((Round) area).circle();
      // Near a pole or across the antimeridian the buffered circle may not be one valid polygon.
      String[] reasonAndArea =
          jdbc.sql(
                  "SELECT CASE WHEN GeometryType(b) <> 'POLYGON' THEN 'not a single polygon'"
                      + " ELSE ST_IsValidReason(b) END, ST_AsHexEWKB(b) FROM (SELECT ST_Buffer("
                      + "ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?, 'quad_segs=16')"
                      + "::geometry AS b) c")
              .params(circle.center().longitude(), circle.center().latitude(), circle.radiusM())
              .query((rs, row) -> new String[] {rs.getString(1), rs.getString(2)})
              .single();
      if (!"Valid Geometry".equals(reasonAndArea[0])) {
        throw ApiProblem.badRequest(
            "area", "the circle cannot be drawn as a valid polygon here: " + reasonAndArea[0]);
      }
      circleArea = reasonAndArea[1];
    }
    return statement
        .param("name", r.name().strip())
        .param("geojson", geoJson)
        .param("circleArea", circleArea)
        .param("lon", circle == null ? null : circle.center().longitude())
        .param("lat", circle == null ? null : circle.center().latitude())
        .param("radius", circle == null ? null : circle.radiusM())
        .param("speedLimit", r.speedLimitKmh());
  }

  private GeofenceView find(UUID fleetId, UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM geofences g WHERE g.id = ? AND g.fleet_id = ?")
        .params(id, fleetId)
        .query((rs, row) -> view(rs))
        .optional()
        .orElseThrow(() -> ApiProblem.notFound("Geofence " + id));
  }

  private static GeofenceView view(ResultSet rs) throws SQLException {
    Object radius = rs.getObject("radius_m");
    Object area =
        radius == null
            ? GeoJson.parse(rs.getString("area"))
            : new Circle(
                new Center(rs.getDouble("center_lat"), rs.getDouble("center_lon")),
                ((Number) radius).doubleValue());
    return new GeofenceView(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        area,
        (Float) rs.getObject("speed_limit_kmh"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }
}
