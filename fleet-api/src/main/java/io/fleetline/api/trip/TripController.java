package io.fleetline.api.trip;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.geojson.GeoJson;
import io.fleetline.api.geojson.JsonOrGeoJson;
import io.fleetline.api.geojson.JsonOrGeoJsonBody;
import io.fleetline.api.paging.Cursors;
import io.fleetline.api.paging.Page;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.paging.TimeParameter;
import io.fleetline.api.problem.ApiProblem;
import io.fleetline.api.trip.TripViews.LatLon;
import io.fleetline.api.trip.TripViews.StopView;
import io.fleetline.api.trip.TripViews.TripPage;
import io.fleetline.api.trip.TripViews.TripView;
import io.fleetline.api.vehicle.VehicleOwnership;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Trips and stops that routing derived from a vehicle's history. */
@RestController
@Tag(name = "Trips", description = "Trips and stops derived from the history")
class TripController {

  private static final OffsetDateTime BEGINNING = OffsetDateTime.parse("1970-01-01T00:00:00Z");
  private static final OffsetDateTime END = OffsetDateTime.parse("9999-01-01T00:00:00Z");

  private static final String TRIP_COLUMNS =
      """
      t.id, t.vehicle_id, t.started_at, t.ended_at, ST_Y(t.start_location) AS start_lat,
      ST_X(t.start_location) AS start_lon, ST_Y(t.end_location) AS end_lat,
      ST_X(t.end_location) AS end_lon, t.distance_m, t.duration_s, t.max_speed_kmh,
      t.avg_speed_kmh, t.open""";

  private static final String STOP_COLUMNS =
      """
      t.id, t.vehicle_id, t.started_at, t.ended_at, ST_Y(t.location) AS lat, ST_X(t.location) AS lon,
      t.duration_s, t.open""";

  /**
   * A trip's path as GeoJSON. routing-service stores it once the trip is closed; an open trip's
   * path is its vehicle's history from the trip's start to its end, read from there.
   */
  private static final String PATH =
      """
      ST_AsGeoJSON(coalesce(t.path, (
          SELECT ST_MakeLine(p.location ORDER BY p.recorded_at) FROM positions p
          WHERE p.vehicle_id = t.vehicle_id
            AND p.recorded_at >= t.started_at AND p.recorded_at <= t.ended_at)), 6)""";

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;
  private final VehicleOwnership ownership;

  TripController(JdbcClient jdbc, CallerFleet callerFleet, VehicleOwnership ownership) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
    this.ownership = ownership;
  }

  /** Trips that overlap [from, to), oldest first; GeoJSON carries each trip's path. */
  @GetMapping(
      path = "/api/v1/vehicles/{vehicleId}/trips",
      produces = {MediaType.APPLICATION_JSON_VALUE, GeoJson.MEDIA_TYPE_VALUE})
  @JsonOrGeoJson(TripPage.class)
  @Operation(operationId = "listTrips", summary = "List a vehicle's trips that overlap [from, to)")
  ResponseEntity<Object> trips(
      @PathVariable UUID vehicleId,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          OffsetDateTime from,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          OffsetDateTime to,
      Paging paging,
      Authentication caller) {
    Window window = new Window(from, to, paging);
    UUID fleetId = callerFleet.of(caller);
    ownership.require(fleetId, vehicleId);
    return ResponseEntity.ok(
        new JsonOrGeoJsonBody(
            () -> trips(fleetId, vehicleId, window, ", NULL AS path"),
            () -> {
              Page<TripView> page = trips(fleetId, vehicleId, window, ", " + PATH + " AS path");
              return GeoJson.featureCollection(
                  page.items().stream().map(TripController::feature).toList(), page.nextCursor());
            }));
  }

  /** A page of trips, with their paths or without. */
  private Page<TripView> trips(UUID fleetId, UUID vehicleId, Window window, String path) {
    return overlapping(
        "trips",
        TRIP_COLUMNS + path,
        fleetId,
        vehicleId,
        window,
        (rs, row) -> trip(rs),
        TripView::startedAt);
  }

  /** One trip with its path. */
  @GetMapping(
      path = "/api/v1/trips/{tripId}",
      produces = {MediaType.APPLICATION_JSON_VALUE, GeoJson.MEDIA_TYPE_VALUE})
  @JsonOrGeoJson(TripView.class)
  @Operation(operationId = "getTrip", summary = "Get a trip with its path")
  ResponseEntity<Object> trip(@PathVariable UUID tripId, Authentication caller) {
    TripView trip =
        jdbc.sql(
                "SELECT "
                    + TRIP_COLUMNS
                    + ", "
                    + PATH
                    + " AS path FROM trips t"
                    + " WHERE t.id = ? AND t.fleet_id = ?")
            .params(tripId, callerFleet.of(caller))
            .query((rs, row) -> trip(rs))
            .optional()
            .orElseThrow(() -> ApiProblem.notFound("Trip " + tripId));
    return ResponseEntity.ok(new JsonOrGeoJsonBody(() -> trip, () -> feature(trip)));
  }

  /** Stops that overlap [from, to), oldest first. */
  @GetMapping(
      path = "/api/v1/vehicles/{vehicleId}/stops",
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "listStops", summary = "List a vehicle's stops that overlap [from, to)")
  Page<StopView> stops(
      @PathVariable UUID vehicleId,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          OffsetDateTime from,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          OffsetDateTime to,
      Paging paging,
      Authentication caller) {
    Window window = new Window(from, to, paging);
    UUID fleetId = callerFleet.of(caller);
    ownership.require(fleetId, vehicleId);
    return overlapping(
        "stops",
        STOP_COLUMNS,
        fleetId,
        vehicleId,
        window,
        (rs, row) ->
            new StopView(
                rs.getObject("id", UUID.class),
                rs.getObject("vehicle_id", UUID.class),
                instant(rs, "started_at"),
                instant(rs, "ended_at"),
                new LatLon(rs.getDouble("lat"), rs.getDouble("lon")),
                rs.getDouble("duration_s"),
                rs.getBoolean("open")),
        StopView::startedAt);
  }

  /** The time window and the page of a list of trips or stops. */
  private record Window(OffsetDateTime from, OffsetDateTime to, Paging paging) {

    Window {
      TimeParameter.check("from", from);
      TimeParameter.check("to", to);
    }
  }

  /**
   * One keyset page of a vehicle's rows of {@code table} (alias {@code t}) that overlap the window,
   * oldest first; the vehicle is the fleet's.
   */
  private <T> Page<T> overlapping(
      String table,
      String columns,
      UUID fleetId,
      UUID vehicleId,
      Window window,
      RowMapper<T> rows,
      Function<T, Instant> startedAt) {
    List<T> fetched =
        jdbc.sql(
                "SELECT "
                    + columns
                    + " FROM "
                    + table
                    + " t WHERE t.vehicle_id = :vehicle AND t.fleet_id = :fleet"
                    + " AND t.ended_at >= :from AND t.started_at < :to AND t.started_at > :after"
                    // A vehicle's rows never overlap: only the last one starting at or before
                    // :from can reach into the window from before it.
                    + " AND t.started_at >= coalesce((SELECT max(e.started_at) FROM "
                    + table
                    + " e WHERE e.vehicle_id = :vehicle AND e.started_at <= :from), '-infinity')"
                    + " ORDER BY t.started_at LIMIT :limit")
            .param("vehicle", vehicleId)
            .param("fleet", fleetId)
            .param("from", window.from() == null ? BEGINNING : window.from())
            .param("to", window.to() == null ? END : window.to())
            .param("after", after(window.paging()))
            .param("limit", window.paging().fetch())
            .query(rows)
            .list();
    return window.paging().page(fetched, row -> Cursors.instantKey(startedAt.apply(row)));
  }

  private static OffsetDateTime after(Paging paging) {
    Instant after = paging.afterInstant();
    return after == null ? BEGINNING.minusYears(1) : after.atOffset(ZoneOffset.UTC);
  }

  private static Map<String, Object> feature(TripView trip) {
    return GeoJson.feature(trip.id(), trip.path(), GeoJson.propertiesOf(trip, "path"));
  }

  private static TripView trip(ResultSet rs) throws SQLException {
    return new TripView(
        rs.getObject("id", UUID.class),
        rs.getObject("vehicle_id", UUID.class),
        instant(rs, "started_at"),
        instant(rs, "ended_at"),
        new LatLon(rs.getDouble("start_lat"), rs.getDouble("start_lon")),
        new LatLon(rs.getDouble("end_lat"), rs.getDouble("end_lon")),
        rs.getDouble("distance_m"),
        rs.getDouble("duration_s"),
        (Float) rs.getObject("max_speed_kmh"),
        (Float) rs.getObject("avg_speed_kmh"),
        rs.getBoolean("open"),
        GeoJson.parse(rs.getString("path")));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
