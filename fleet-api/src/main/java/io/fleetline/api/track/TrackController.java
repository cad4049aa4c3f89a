package io.fleetline.api.track;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.geojson.GeoJson;
import io.fleetline.api.geojson.JsonOrGeoJson;
import io.fleetline.api.geojson.JsonOrGeoJsonBody;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.paging.TimeParameter;
import io.fleetline.api.position.PositionColumn;
import io.fleetline.api.position.PositionJson;
import io.fleetline.api.position.PositionPage;
import io.fleetline.api.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** A vehicle's position history in event-time order, one keyset page at a time. */
@RestController
@Tag(name = "Tracks", description = "Position history")
class TrackController {

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;
  private final JsonMapper json;

  TrackController(JdbcClient jdbc, CallerFleet callerFleet, JsonMapper json) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
    this.json = json;
  }

  @GetMapping(
      path = "/api/v1/vehicles/{vehicleId}/track",
      produces = {MediaType.APPLICATION_JSON_VALUE, GeoJson.MEDIA_TYPE_VALUE})
  @JsonOrGeoJson(PositionPage.class)
  @Operation(
      operationId = "getTrack",
      summary = "Get a vehicle's track in [from, to), in recordedAt order")
  ResponseEntity<Object> track(
      @PathVariable UUID vehicleId,
      @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
      @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
      Paging paging,
      Authentication caller) {
    TimeParameter.check("from", from);
    TimeParameter.check("to", to);
    if (!to.isAfter(from)) {
      throw ApiProblem.badRequest("to", "to must be after from");
    }
    UUID fleetId = callerFleet.of(caller);
    Instant after = paging.afterInstant();
    Instant start = after != null && after.isAfter(from.toInstant()) ? after : null;
    // One round trip: the vehicle (none when it is not in the caller's fleet, hence 404) with the
    // page of its history, if any. The range on recorded_at lets PostgreSQL prune the daily
    // partitions it need not read.
    JdbcClient.StatementSpec query =
        jdbc.sql(
                "SELECT "
                    + PositionColumn.SELECT
                    + " FROM vehicles v LEFT JOIN LATERAL (SELECT p.* FROM positions p"
                    + " WHERE p.vehicle_id = :vehicle AND p.fleet_id = :fleet"
                    + (start == null ? " AND p.recorded_at >= :from" : " AND p.recorded_at > :from")
                    + " AND p.recorded_at < :to ORDER BY p.recorded_at LIMIT :limit) p ON true"
                    + " WHERE v.id = :vehicle AND v.fleet_id = :fleet")
            .param("vehicle", vehicleId)
            .param("fleet", fleetId)
            .param("from", start == null ? from : start.atOffset(ZoneOffset.UTC))
            .param("to", to)
            .param("limit", paging.fetch());
    return ResponseEntity.ok(
        new JsonOrGeoJsonBody(
            () ->
                query
                    .query(PositionJson.page(json, paging.limit(), PositionJson.Order.BY_TIME))
                    .orElseThrow(() -> ApiProblem.notFound("Vehicle " + vehicleId)),
            () ->
                query
                    .query(PositionJson.line(json, paging.limit()))
                    .orElseThrow(() -> ApiProblem.notFound("Vehicle " + vehicleId))));
  }
}
