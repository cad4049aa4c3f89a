package io.fleetline.api.analytics;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Response bodies of the analytics resources: daily summaries, the daily report, the status. */
final class AnalyticsViews {

  private AnalyticsViews() {}

  /** A point as latitude and longitude in degrees. */
  record LatLon(double latitude, double longitude) {}

  /**
   * What a vehicle did on one day of its fleet's calendar; {@code first}/{@code last} are its first
   * and last position of the day.
   */
  record SummaryView(
      UUID vehicleId,
      LocalDate day,
      @Schema(description = "the IANA zone the day was counted in") String timeZone,
      double distanceM,
      double drivingS,
      double idleS,
      Float maxSpeedKmh,
      Float avgSpeedKmh,
      int tripCount,
      int harshBrakingCount,
      int harshAccelerationCount,
      int harshCorneringCount,
      Instant firstAt,
      LatLon firstPosition,
      Instant lastAt,
      LatLon lastPosition) {}

  /**
   * One vehicle's line of a fleet's daily report. A vehicle without a summary that day has {@code
   * summarized} false, zero distance, times and counts, and no speeds or positions.
   */
  record ReportRow(
      UUID vehicleId,
      String vehicleName,
      String plate,
      LocalDate day,
      String timeZone,
      boolean summarized,
      double distanceM,
      double drivingS,
      double idleS,
      Float maxSpeedKmh,
      Float avgSpeedKmh,
      int tripCount,
      int harshBrakingCount,
      int harshAccelerationCount,
      int harshCorneringCount,
      Instant firstAt,
      LatLon firstPosition,
      Instant lastAt,
      LatLon lastPosition) {}

  /** A page of a daily report, by vehicle id. */
  record ReportPage(List<ReportRow> items, String nextCursor) {}

  /**
   * Where analytics last saw a vehicle: {@code status} is {@code online}, {@code offline} or,
   * before analytics has heard of the vehicle, {@code unknown} with every other field but the
   * latest position's time {@code null}.
   */
  record StatusView(
      UUID vehicleId,
      @Schema(allowableValues = {"online", "offline", "unknown"}) String status,
      Boolean online,
      @Schema(description = "since when the vehicle is online or offline") Instant since,
      Boolean idling,
      Instant idlingSince,
      @Schema(description = "when analytics last received a ping of the vehicle")
          Instant lastHeardAt,
      @Schema(description = "the recording time of the vehicle's latest stored position")
          Instant latestPositionAt) {}
}
