package io.fleetline.api.analytics;

import io.fleetline.api.analytics.AnalyticsViews.StatusView;
import io.fleetline.api.analytics.AnalyticsViews.SummaryView;
import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.paging.Cursors;
import io.fleetline.api.paging.Page;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.problem.ApiProblem;
import io.fleetline.api.vehicle.VehicleOwnership;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A vehicle's daily summaries and its status, as analytics-service stored them. */
@RestController
@Tag(name = "Analytics", description = "Daily summaries, daily reports and vehicle status")
class VehicleAnalyticsController {

  /** Most days one request may span: a leap year. */
  static final int MAX_DAYS = 366;

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;
  private final VehicleOwnership ownership;

  VehicleAnalyticsController(JdbcClient jdbc, CallerFleet callerFleet, VehicleOwnership ownership) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
    this.ownership = ownership;
  }

  /** The vehicle's summaries of the days from {@code from} to {@code to}, both included. */
  @GetMapping(
      path = "/api/v1/vehicles/{vehicleId}/summaries",
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "listDailySummaries",
      summary = "List a vehicle's daily summaries from one day to another, oldest first",
      description =
          "Days are calendar days of the fleet's time zone, both `from` and `to` included, at most"
              + " 366 of them. Days on which the vehicle sent nothing have no summary.")
  Page<SummaryView> summaries(
      @PathVariable UUID vehicleId,
      @Parameter(schema = @Schema(type = "string", format = "date")) @RequestParam String from,
      @Parameter(schema = @Schema(type = "string", format = "date")) @RequestParam String to,
      Paging paging,
      Authentication caller) {
    LocalDate first = DayParameter.parse("from", from);
    LocalDate last = DayParameter.parse("to", to);
    if (first.isAfter(last)) {
      throw ApiProblem.badRequest("from", "from must not be after to");
    }
    if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
      throw ApiProblem.badRequest(
          "to", "from and to may span at most " + MAX_DAYS + " days, both included");
    }
    LocalDate after = afterDay(paging);
    UUID fleetId = callerFleet.of(caller);
    ownership.require(fleetId, vehicleId);
    List<SummaryView> fetched =
        jdbc.sql(
                "SELECT s.vehicle_id, s.day, "
                    + SummaryColumns.SELECT
                    + " FROM vehicle_daily_summaries s"
                    + " WHERE s.vehicle_id = :vehicle AND s.fleet_id = :fleet"
                    + " AND s.day >= :from AND s.day <= :to AND s.day > :after"
                    + " ORDER BY s.day LIMIT :limit")
            .param("vehicle", vehicleId)
            .param("fleet", fleetId)
            .param("from", first)
            .param("to", last)
            .param("after", after == null ? first.minusDays(1) : after)
            .param("limit", paging.fetch())
            .query(
                (rs, row) ->
                    new SummaryView(
                        rs.getObject("vehicle_id", UUID.class),
                        rs.getObject("day", LocalDate.class),
                        rs.getString("time_zone"),
                        rs.getDouble("distance_m"),
                        rs.getDouble("driving_s"),
                        rs.getDouble("idle_s"),
                        (Float) rs.getObject("max_speed_kmh"),
                        (Float) rs.getObject("avg_speed_kmh"),
                        rs.getInt("trip_count"),
                        rs.getInt("harsh_braking_count"),
                        rs.getInt("harsh_acceleration_count"),
                        rs.getInt("harsh_cornering_count"),
                        SummaryColumns.instant(rs, "first_at"),
                        SummaryColumns.position(rs, "first"),
                        SummaryColumns.instant(rs, "last_at"),
                        SummaryColumns.position(rs, "last")))
            .list();
    return paging.page(fetched, s -> s.day().toString());
  }

  /** The day a cursor of this resource names, or {@code null} on the first page. */
  private static LocalDate afterDay(Paging paging) {
    String key = Cursors.decode(paging.cursor());
    if (key == null) {
      return null;
    }
    try {
      return DayParameter.parse("cursor", key);
    } catch (ApiProblem | DateTimeParseException e) {
      throw ApiProblem.badRequest("cursor", "the cursor is not one this API issued");
    }
  }

  /** Whether the vehicle is online and idling, and since when, as analytics last found. */
  @GetMapping(
      path = "/api/v1/vehicles/{vehicleId}/status",
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "getVehicleStatus",
      summary = "Get whether a vehicle is online or offline and idling, and since when",
      description =
          "A vehicle analytics has not heard of yet has status `unknown` and null for every"
              + " finding.")
  StatusView status(@PathVariable UUID vehicleId, Authentication caller) {
    return jdbc.sql(
            """
            SELECT s.online, s.online_changed_at, s.idling, s.idling_since, s.last_heard_at,
                   p.recorded_at AS latest_position_at
            FROM vehicles v
            LEFT JOIN vehicle_status s ON s.vehicle_id = v.id AND s.fleet_id = v.fleet_id
            LEFT JOIN latest_positions p ON p.vehicle_id = v.id AND p.fleet_id = v.fleet_id
            WHERE v.id = :vehicle AND v.fleet_id = :fleet""")
        .param("vehicle", vehicleId)
        .param("fleet", callerFleet.of(caller))
        .query(
            (rs, row) -> {
              Boolean online = (Boolean) rs.getObject("online");
              return new StatusView(
                  vehicleId,
                  online == null ? "unknown" : online ? "online" : "offline",
                  online,
                  SummaryColumns.instant(rs, "online_changed_at"),
                  (Boolean) rs.getObject("idling"),
                  SummaryColumns.instant(rs, "idling_since"),
                  SummaryColumns.instant(rs, "last_heard_at"),
                  SummaryColumns.instant(rs, "latest_position_at"));
            })
        .optional()
        .orElseThrow(() -> ApiProblem.notFound("Vehicle " + vehicleId));
  }
}
