package io.fleetline.api.event;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.geojson.GeoJson;
import io.fleetline.api.paging.Page;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.problem.ApiProblem;
import io.fleetline.common.VehicleEvent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The fleet's event feed, oldest first after a cursor, for integrators that poll. */
@RestController
@Tag(name = "Events", description = "The event feed")
class EventController {

  static final Set<String> TYPES = VehicleEvent.TYPES;

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;

  EventController(JdbcClient jdbc, CallerFleet callerFleet) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
  }

  /**
   * An event; {@code details} depends on the type (trip, geofence, speed and limit, ...). An {@code
   * event_retracted} names the event it retracts in {@code details.retractedId}, and that event
   * names it in {@code retractedBy}.
   */
  record EventView(
      long id,
      String type,
      UUID vehicleId,
      java.time.Instant occurredAt,
      Double latitude,
      Double longitude,
      Map<String, Object> details,
      @Schema(
              description =
                  "the id of the event_retracted event that retracted this one, as later history"
                      + " no longer implies it; null while it stands")
          Long retractedBy) {}

  /**
   * Without {@code types}, every event and every retraction. With it, exactly the listed types: a
   * retraction only when {@code event_retracted} is listed, and then those of the other listed
   * types, or of every type when it is the only one listed.
   */
  @GetMapping(path = "/api/v1/events", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "listEvents",
      summary = "Read the fleet's events, oldest first after a cursor")
  Page<EventView> events(
      @RequestParam(required = false) Long after,
      @RequestParam(required = false) List<String> types,
      Paging paging,
      Authentication caller) {
    // The cursor names the last event of the previous page, which lies after `after` in the feed.
    Long fromCursor = paging.afterNumber();
    long start = fromCursor != null ? fromCursor : after == null ? 0 : after;
    String[] wanted = types == null ? null : types(types);
    List<EventView> fetched =
        jdbc.sql(
                """
                SELECT e.id, e.type, e.vehicle_id, e.occurred_at, ST_Y(e.location) AS lat,
                       ST_X(e.location) AS lon, e.details::text AS details, e.retracted_by
                FROM vehicle_events e
                WHERE e.fleet_id = :fleet
                  AND (COALESCE(e.created_xid, CAST('0' AS xid8)), e.id)
                      > (COALESCE((SELECT p.created_xid FROM vehicle_events p WHERE p.id = :after),
                                  CAST('0' AS xid8)), :after)
                  AND (e.created_xid IS NULL
                       OR e.created_xid < pg_snapshot_xmin(pg_current_snapshot()))
                  AND (CAST(:types AS text[]) IS NULL
                       OR e.type = ANY (CAST(:types AS text[]))
                          AND (e.type <> 'event_retracted'
                               OR e.details->>'retractedType' = ANY (CAST(:types AS text[]))
                               OR CAST(:types AS text[]) <@ ARRAY['event_retracted']))
                ORDER BY COALESCE(e.created_xid, CAST('0' AS xid8)), e.id LIMIT :limit""")
            .param("fleet", callerFleet.of(caller))
            .param("after", start)
            .param("types", wanted == null ? null : "{" + String.join(",", wanted) + "}")
            .param("limit", paging.fetch())
            .query(
                (rs, row) ->
                    new EventView(
                        rs.getLong("id"),
                        rs.getString("type"),
                        rs.getObject("vehicle_id", UUID.class),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                        (Double) rs.getObject("lat"),
                        (Double) rs.getObject("lon"),
                        details(rs.getString("details")),
                        (Long) rs.getObject("retracted_by")))
            .list();
    return paging.page(fetched, e -> Long.toString(e.id()));
  }

  private static String[] types(List<String> requested) {
    String[] wanted =
        requested.stream()
            .flatMap(t -> Arrays.stream(t.split(",")))
            .map(String::strip)
            .filter(t -> !t.isEmpty())
            .distinct()
            .toArray(String[]::new);
    for (String type : wanted) {
      if (!TYPES.contains(type)) {
        throw ApiProblem.badRequest("types", "unknown event type '" + type + "'; one of " + TYPES);
      }
    }
    return wanted.length == 0 ? null : wanted;
  }

  private static Map<String, Object> details(String json) {
    Map<String, Object> parsed = GeoJson.parse(json);
    return parsed == null ? Map.of() : new LinkedHashMap<>(parsed);
  }
}
