package io.fleetline.api.analytics;

import io.fleetline.api.analytics.AnalyticsViews.ReportPage;
import io.fleetline.api.analytics.AnalyticsViews.ReportRow;
import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.paging.Page;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A fleet's report of one day: one row per vehicle, as JSON pages or as one CSV of every vehicle.
 */
@RestController
@Tag(name = "Analytics")
class DailyReportController {

  /** Most vehicles one request may name; a longer list is a report of the whole fleet. */
  static final int MAX_VEHICLE_IDS = 100;

  /** Vehicles read per query while a CSV report is written. */
  static final int CSV_BATCH = 500;

  private static final String PATH = "/api/v1/reports/daily";

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;

  DailyReportController(JdbcClient jdbc, CallerFleet callerFleet) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
  }

  /** A page of the day's report, by vehicle id: the answer unless CSV is asked for by name. */
  @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "getDailyReport",
      summary = "Report one day of the fleet, one row per vehicle, as JSON pages or as CSV",
      description =
          "`date` is a calendar day of the fleet's time zone. Every vehicle of the fleet has a"
              + " row, or those named in `vehicleIds` (comma-separated, at most 100; a vehicle the"
              + " fleet does not have is 404); a vehicle without a summary that day has"
              + " `summarized` false and zeros. JSON is paged by `limit` and `cursor`; with"
              + " `Accept: text/csv` the answer is one CSV (RFC 4180, header row) of every row,"
              + " unpaged.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "OK",
            content = {
              @Content(
                  mediaType = MediaType.APPLICATION_JSON_VALUE,
                  schema = @Schema(implementation = ReportPage.class)),
              @Content(
                  mediaType = ReportCsv.MEDIA_TYPE,
                  schema = @Schema(type = "string", description = ReportCsv.HEADER))
            }),
        @ApiResponse(
            responseCode = "404",
            description =
                "A vehicle of `vehicleIds` is not the fleet's (missing or another fleet's,"
                    + " indistinguishable)",
            content =
                @Content(
                    mediaType = "application/problem+json",
                    schema = @Schema(ref = "#/components/schemas/Problem")))
      })
  Page<ReportRow> report(
      @Parameter(schema = @Schema(type = "string", format = "date")) @RequestParam String date,
      @Parameter(description = "comma-separated vehicle ids; every vehicle when absent")
          @RequestParam(required = false)
          String vehicleIds,
      Paging paging,
      Authentication caller) {
    LocalDate day = DayParameter.parse("date", date);
    UUID fleetId = callerFleet.of(caller);
    UUID[] vehicles = vehicles(fleetId, vehicleIds);
    List<ReportRow> fetched = rows(fleetId, day, vehicles, paging.afterId(), paging.fetch());
    return paging.page(fetched, r -> r.vehicleId().toString());
  }

  /** The day's report as CSV: every row, read in batches and written as it is read. */
  @GetMapping(path = PATH, produces = ReportCsv.MEDIA_TYPE)
  @Operation(hidden = true)
  void csv(
      @RequestParam String date,
      @RequestParam(required = false) String vehicleIds,
      Authentication caller,
      HttpServletResponse response)
      throws IOException {
    LocalDate day = DayParameter.parse("date", date);
    UUID fleetId = callerFleet.of(caller);
    UUID[] vehicles = vehicles(fleetId, vehicleIds);
    response.setContentType(ReportCsv.MEDIA_TYPE + ";charset=UTF-8;header=present");
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"daily-report-" + day + ".csv\"");
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
    ReportCsv.header(out);
    UUID after = null;
    List<ReportRow> batch;
    do {
      batch = rows(fleetId, day, vehicles, after, CSV_BATCH);
      for (ReportRow row : batch) {
        ReportCsv.row(out, row);
      }
      after = batch.isEmpty() ? null : batch.get(batch.size() - 1).vehicleId();
    } while (batch.size() == CSV_BATCH);
    out.flush();
  }

  /**
   * The vehicles a request names, every one of them the fleet's; {@code null} for all of them. A
   * vehicle the fleet does not have is 404, whether it is missing or another fleet's.
   */
  private UUID[] vehicles(UUID fleetId, String requested) {
    if (requested == null || requested.isBlank()) {
      return null;
    }
    String[] texts = requested.split(",", MAX_VEHICLE_IDS + 2);
    if (texts.length > MAX_VEHICLE_IDS) {
      throw ApiProblem.badRequest(
          "vehicleIds", "vehicleIds may name at most " + MAX_VEHICLE_IDS + " vehicles");
    }
    Set<UUID> wanted = new LinkedHashSet<>();
    for (String text : texts) {
      try {
        wanted.add(UUID.fromString(text.strip()));
      } catch (IllegalArgumentException e) {
        throw ApiProblem.badRequest(
            "vehicleIds", "vehicleIds must be vehicle ids, comma-separated");
      }
    }
    UUID[] ids = wanted.toArray(UUID[]::new);
    Set<UUID> own =
        new HashSet<>(
            jdbc.sql(
                    "SELECT id FROM vehicles WHERE fleet_id = :fleet"
                        + " AND id = ANY (CAST(:ids AS uuid[]))")
                .param("fleet", fleetId)
                .param("ids", ids)
                .query(UUID.class)
                .list());
    Arrays.stream(ids)
        .filter(id -> !own.contains(id))
        .findFirst()
        .ifPresent(
            missing -> {
              throw ApiProblem.notFound("Vehicle " + missing);
            });
    return ids;
  }

  /** Up to {@code limit} rows of the report after the vehicle {@code after}, by vehicle id. */
  private List<ReportRow> rows(
      UUID fleetId, LocalDate day, UUID[] vehicles, UUID after, int limit) {
    return jdbc.sql(
            "SELECT v.id AS vehicle_id, v.name, v.plate, f.time_zone AS fleet_zone,"
                + " s.vehicle_id IS NOT NULL AS summarized, "
                + SummaryColumns.SELECT
                + " FROM vehicles v JOIN fleets f ON f.id = v.fleet_id"
                + " LEFT JOIN vehicle_daily_summaries s"
                + " ON s.vehicle_id = v.id AND s.day = :day AND s.fleet_id = v.fleet_id"
                + " WHERE v.fleet_id = :fleet"
                + " AND (CAST(:after AS uuid) IS NULL OR v.id > CAST(:after AS uuid))"
                + " AND (CAST(:all AS boolean) OR v.id = ANY (CAST(:ids AS uuid[])))"
                + " ORDER BY v.id LIMIT :limit")
        .param("fleet", fleetId)
        .param("day", day)
        .param("after", after == null ? null : after.toString())
        .param("all", vehicles == null)
        .param("ids", vehicles == null ? new UUID[0] : vehicles)
        .param("limit", limit)
        .query((rs, row) -> row(rs, day))
        .list();
  }

  private static ReportRow row(ResultSet rs, LocalDate day) throws SQLException {
    boolean summarized = rs.getBoolean("summarized");
    return new ReportRow(
        rs.getObject("vehicle_id", UUID.class),
        rs.getString("name"),
        rs.getString("plate"),
        day,
        summarized ? rs.getString("time_zone") : rs.getString("fleet_zone"),
        summarized,
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
        SummaryColumns.position(rs, "last"));
  }
}
