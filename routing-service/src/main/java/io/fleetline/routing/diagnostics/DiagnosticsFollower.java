package io.fleetline.routing.diagnostics;

import io.fleetline.common.Diagnostics;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.event.DetectedEvent;
import io.fleetline.routing.event.EventStore;
import io.fleetline.routing.event.PendingEvent;
import io.fleetline.routing.position.HistoryFollower;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Raises the diagnostics events of a batch inside its transaction, like trip and overspeed
 * detection: for each vehicle whose new history carries diagnostics, its stored diagnostics from
 * the lookback before the earliest new ping on are read in one statement for the whole batch, the
 * {@link DiagnosticsDetector} runs over them, and {@link EventStore} keeps only events whose key is
 * new. A redelivered batch or a recomputation therefore stores nothing twice, and a late ping is
 * judged against the history around it.
 */
@Component
class DiagnosticsFollower implements HistoryFollower {

  /**
   * Per vehicle (with its earliest new time), the stored positions with diagnostics from the
   * lookback before it on, if any new one has diagnostics; in time order per vehicle.
   */
  private static final String HISTORY =
      """
      SELECT p.vehicle_id, p.recorded_at, ST_Y(p.location), ST_X(p.location), p.speed_kmh,
             p.ignition, p.diagnostics::text
      FROM unnest(?::uuid[], ?::timestamptz[]) AS v(id, earliest)
      JOIN positions p ON p.vehicle_id = v.id
                      AND p.recorded_at >= v.earliest - ?::interval
                      AND p.diagnostics IS NOT NULL
      WHERE EXISTS (SELECT 1 FROM positions n
                    WHERE n.vehicle_id = v.id AND n.recorded_at >= v.earliest
                      AND n.diagnostics IS NOT NULL)
      ORDER BY p.vehicle_id, p.recorded_at""";

  private final DiagnosticsDetector detector;
  private final EventStore events;
  private final DiagnosticsSettings settings;

  DiagnosticsFollower(DiagnosticsSettings settings, EventStore events) {
    this.detector = new DiagnosticsDetector(settings);
    this.events = events;
    this.settings = settings;
  }

  @Override
  public Followed follow(Connection connection, Map<UUID, NewHistory> newHistory)
      throws SQLException {
    // Only a new row with diagnostics can raise or change a diagnostics event: batches of
    // trackers that send none cost no read.
    Map<UUID, NewHistory> withDiagnostics = new LinkedHashMap<>();
    newHistory.forEach(
        (vehicle, added) -> {
          if (added.withDiagnostics()) {
            withDiagnostics.put(vehicle, added);
          }
        });
    if (withDiagnostics.isEmpty()) {
      return new Followed(List.of(), () -> {});
    }
    Map<UUID, List<DiagnosticSample>> histories = read(connection, withDiagnostics);
    List<PendingEvent> pending = new ArrayList<>();
    for (Map.Entry<UUID, List<DiagnosticSample>> vehicle : histories.entrySet()) {
      NewHistory added = newHistory.get(vehicle.getKey());
      for (DetectedEvent e :
          detector.detect(vehicle.getKey(), vehicle.getValue(), added.earliest())) {
        pending.add(new PendingEvent(vehicle.getKey(), added.fleetId(), e));
      }
    }
    List<VehicleEvent> stored = events.insertNew(connection, pending);
    return new Followed(stored, () -> {});
  }

  private Map<UUID, List<DiagnosticSample>> read(
      Connection connection, Map<UUID, NewHistory> newHistory) throws SQLException {
    UUID[] vehicles = newHistory.keySet().toArray(UUID[]::new);
    Timestamp[] earliest = new Timestamp[vehicles.length];
    for (int i = 0; i < vehicles.length; i++) {
      earliest[i] = Timestamp.from(newHistory.get(vehicles[i]).earliest());
    }
    Map<UUID, List<DiagnosticSample>> histories = new LinkedHashMap<>();
    try (PreparedStatement s = connection.prepareStatement(HISTORY)) {
      s.setArray(1, connection.createArrayOf("uuid", vehicles));
      s.setArray(2, connection.createArrayOf("timestamptz", earliest));
      s.setString(3, settings.lookback().toMillis() + " milliseconds");
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          histories
              .computeIfAbsent(rs.getObject(1, UUID.class), v -> new ArrayList<>())
              .add(sample(rs));
        }
      }
    }
    return histories;
  }

  private static DiagnosticSample sample(ResultSet rs) throws SQLException {
    Instant recordedAt = rs.getTimestamp(2).toInstant();
    double latitude = rs.getDouble(3);
    double longitude = rs.getDouble(4);
    float speed = rs.getFloat(5);
    Double speedKmh = rs.wasNull() ? null : (double) speed;
    boolean ignition = rs.getBoolean(6);
    Boolean ignitionOn = rs.wasNull() ? null : ignition;
    Diagnostics diagnostics =
        FleetlineJson.read(rs.getString(7).getBytes(StandardCharsets.UTF_8), Diagnostics.class);
    return new DiagnosticSample(recordedAt, latitude, longitude, speedKmh, ignitionOn, diagnostics);
  }
}
