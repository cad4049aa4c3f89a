package io.fleetline.api.analytics;

import io.fleetline.api.analytics.AnalyticsViews.LatLon;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** The columns of a daily summary (alias {@code s}) as the analytics resources read them. */
final class SummaryColumns {

  static final String SELECT =
      """
      s.time_zone, s.distance_m, s.driving_s, s.idle_s, s.max_speed_kmh, s.avg_speed_kmh,
      s.trip_count, s.harsh_braking_count, s.harsh_acceleration_count, s.harsh_cornering_count,
      s.first_at, ST_Y(s.first_location) AS first_lat, ST_X(s.first_location) AS first_lon,
      s.last_at, ST_Y(s.last_location) AS last_lat, ST_X(s.last_location) AS last_lon""";

  private SummaryColumns() {}

  /** The time, or {@code null} where the row has none (a vehicle without a summary). */
  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** The position of {@code prefix}_lat/_lon, or {@code null} where the row has none. */
  static LatLon position(ResultSet rs, String prefix) throws SQLException {
    Double latitude = (Double) rs.getObject(prefix + "_lat");
    Double longitude = (Double) rs.getObject(prefix + "_lon");
    return latitude == null || longitude == null ? null : new LatLon(latitude, longitude);
  }
}
