package io.fleetline.routing.position;

import io.fleetline.common.VehiclePing;
import io.fleetline.routing.trip.Sample;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.postgresql.PGStatement;

/**
 * History rows as the samples trip, stop and event detection work on, whether handed over by the
 * batch that stored them or read back from {@code positions}: both go through here, so a sample
 * read back equals the one the batch handed its followers.
 */
public final class HistorySamples {

  private HistorySamples() {}

  /**
   * A statement whose rows come in binary from its first use: reading thousands of doubles and
   * times from their text costs more than the rest of handling them.
   */
  public static PreparedStatement prepareBinary(Connection connection, String sql)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
    return statement;
  }

  /**
   * A stored history row read as a sample: {@code recorded_at}, latitude, longitude, {@code
   * speed_kmh}, {@code ignition} in five columns from {@code first} on (the speed widened from the
   * stored {@code real}).
   */
  public static Sample read(ResultSet rs, int first) throws SQLException {
    float speed = rs.getFloat(first + 3);
    Double speedKmh = rs.wasNull() ? null : (double) speed;
    boolean ignition = rs.getBoolean(first + 4);
    Boolean ignitionOn = rs.wasNull() ? null : ignition;
    return new Sample(
        rs.getTimestamp(first).toInstant(),
        rs.getDouble(first + 1),
        rs.getDouble(first + 2),
        speedKmh,
        ignitionOn);
  }

  /**
   * A ping as {@link #read} gives it back once stored: the time at the microsecond, the speed as
   * the {@code real} stored.
   */
  static Sample of(VehiclePing ping) {
    Double speed = ping.measurements().speedKmh();
    return new Sample(
        CopyRows.fromPostgresMicros(CopyRows.postgresMicros(ping.recordedAt())),
        ping.measurements().latitude(),
        ping.measurements().longitude(),
        speed == null ? null : (double) speed.floatValue(),
        ping.measurements().ignition());
  }
}
