package io.fleetline.api.track;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.geojson.GeoJson;
import io.fleetline.api.paging.Cursors;
import io.fleetline.api.paging.Page;
import io.fleetline.api.position.PositionPage;
import io.fleetline.api.position.PositionRows;
import io.fleetline.api.position.PositionView;
import io.fleetline.api.problem.ApiProblem;
import io.fleetline.api.vehicle.VehicleOwnership;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A vehicle's position history in event-time order, one keyset page at a time. */
@RestController
@Tag(name = "Tracks", description = "Position history")
@Validated
class TrackController {

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;
  private final VehicleOwnership ownership;

  TrackController(JdbcClient jdbc, CallerFleet callerFleet, VehicleOwnership ownership) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
    this.ownership = ownership;
  }

  @GetMapping(
      path = "/api/v1/vehicles/{vehicleId}/track",
      produces = {MediaType.APPLICATION_JSON_VALUE, GeoJson.MEDIA_TYPE_VALUE})
  @ApiResponse(
      responseCode = "200",
      description = "JSON, or GeoJSON on Accept: application/geo+json",
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = PositionPage.class)),
        @Content(
            mediaType = "application/geo+json",
            schema =
                @Schema(type = "object", description = "a GeoJSON FeatureCollection or Feature"))
      })
  @Operation(
      operationId = "getTrack",
      summary = "Get a vehicle's track in [from, to), in recordedAt order")
  ResponseEntity<Object> track(
      @PathVariable UUID vehicleId,
      @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
      @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
      @RequestParam(required = false) String cursor,
      @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false)
          String accept,
      Authentication caller) {
    if (!to.isAfter(from)) {
      throw ApiProblem.badRequest("to", "to must be after from");
    }
    UUID fleetId = callerFleet.of(caller);
    ownership.require(fleetId, vehicleId);
    Instant after = Cursors.decodeInstant(cursor);
    Instant start = after != null && after.isAfter(from.toInstant()) ? after : null;
    // The range on recorded_at lets PostgreSQL prune the daily partitions it need not read.
    List<PositionView> fetched =
        jdbc.sql(
                "SELECT "
                    + PositionRows.COLUMNS
                    + " FROM positions p WHERE p.vehicle_id = :vehicle AND p.fleet_id = :fleet"
                    + (start == null ? " AND p.recorded_at >= :from" : " AND p.recorded_at > :from")
                    + " AND p.recorded_at < :to ORDER BY p.recorded_at LIMIT :limit")
            .param("vehicle", vehicleId)
            .param("fleet", fleetId)
            .param("from", start == null ? from : start.atOffset(ZoneOffset.UTC))
            .param("to", to)
            .param("limit", limit + 1)
            .query((rs, row) -> PositionRows.map(rs))
            .list();
    Page<PositionView> page = Page.of(fetched, limit, p -> Cursors.instantKey(p.recordedAt()));
    if (!GeoJson.requested(accept)) {
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(page);
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("vehicleId", vehicleId);
    properties.put("recordedAt", page.items().stream().map(PositionView::recordedAt).toList());
    properties.put("speedKmh", page.items().stream().map(PositionView::speedKmh).toList());
    List<Map<String, Object>> features =
        page.items().isEmpty()
            ? List.of()
            : List.of(
                GeoJson.feature(
                    vehicleId,
                    GeoJson.lineString(
                        page.items().stream()
                            .map(p -> List.of(p.longitude(), p.latitude()))
                            .toList()),
                    properties));
    return ResponseEntity.ok()
        .contentType(GeoJson.MEDIA_TYPE)
        .body(GeoJson.featureCollection(features, page.nextCursor()));
  }
}
