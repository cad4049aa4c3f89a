package io.fleetline.api.analytics;

import io.fleetline.api.analytics.AnalyticsViews.LatLon;
import io.fleetline.api.analytics.AnalyticsViews.ReportRow;
import io.fleetline.common.IsoTime;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The daily report as CSV (RFC 4180): a header row, then one record per vehicle in a fixed column
 * order, records ended by CRLF. Vehicle names and plates come from users, so a cell of theirs that
 * a spreadsheet would run as a formula (starting with {@code = + - @}, a tab or a carriage return)
 * is written with a leading apostrophe.
 */
final class ReportCsv {

  static final String MEDIA_TYPE = "text/csv";

  static final String HEADER =
      "vehicle_id,vehicle_name,plate,day,time_zone,summarized,distance_m,driving_s,idle_s,"
          + "max_speed_kmh,avg_speed_kmh,trip_count,harsh_braking_count,harsh_acceleration_count,"
          + "harsh_cornering_count,first_at,first_latitude,first_longitude,last_at,last_latitude,"
          + "last_longitude";

  private static final String CRLF = "\r\n";

  private ReportCsv() {}

  static void header(Writer out) throws IOException {
    out.write(HEADER);
    out.write(CRLF);
  }

  static void row(Writer out, ReportRow row) throws IOException {
    out.write(row.vehicleId().toString());
    out.write(',');
    out.write(cell(text(row.vehicleName())));
    out.write(',');
    out.write(cell(text(row.plate())));
    out.write(',');
    out.write(row.day().toString());
    out.write(',');
    out.write(cell(text(row.timeZone())));
    out.write(',');
    out.write(Boolean.toString(row.summarized()));
    out.write(',');
    out.write(number(row.distanceM()));
    out.write(',');
    out.write(number(row.drivingS()));
    out.write(',');
    out.write(number(row.idleS()));
    out.write(',');
    out.write(row.maxSpeedKmh() == null ? "" : number(row.maxSpeedKmh()));
    out.write(',');
    out.write(row.avgSpeedKmh() == null ? "" : number(row.avgSpeedKmh()));
    out.write(',');
    out.write(row.tripCount() + "," + row.harshBrakingCount() + ",");
    out.write(row.harshAccelerationCount() + "," + row.harshCorneringCount() + ",");
    writeTimeAndPlace(out, row.firstAt(), row.firstPosition());
    out.write(',');
    writeTimeAndPlace(out, row.lastAt(), row.lastPosition());
    out.write(CRLF);
  }

  private static void writeTimeAndPlace(Writer out, Instant at, LatLon position)
      throws IOException {
    out.write(at == null ? "" : IsoTime.formatMillis(at));
    out.write(',');
    out.write(position == null ? "" : number(position.latitude()));
    out.write(',');
    out.write(position == null ? "" : number(position.longitude()));
  }

  /**
   * A user's text made inert for spreadsheets: a leading apostrophe before a first character that
   * would start a formula.
   */
  static String text(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    return switch (value.charAt(0)) {
      case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
      default -> value;
    };
  }

  /** A field, quoted when it holds a comma, a quote or a line break, its quotes doubled. */
  static String cell(String value) {
    if (value == null) {
      return "";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return '"' + value.replace("\"", "\"\"") + '"';
      }
    }
    return value;
  }

  /** A measurement in plain decimal notation (never an exponent); empty if it is no number. */
  static String number(double value) {
    if (!Double.isFinite(value)) {
      return "";
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  static String number(Float value) {
    if (!Float.isFinite(value)) {
      return "";
    }
    return new BigDecimal(Float.toString(value)).stripTrailingZeros().toPlainString();
  }
}
