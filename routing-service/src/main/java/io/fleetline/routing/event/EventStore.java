package io.fleetline.routing.event;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Stores detected events idempotently in {@code vehicle_events}: one statement per batch, {@code ON
 * CONFLICT (event_key) DO NOTHING}, returning only the rows that are new.
 */
@Component
public class EventStore {

  private static final String INSERT =
      """
      INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at, location,
                                  details)
      SELECT k, f, v, t, o, ST_SetSRID(ST_MakePoint(lon, lat), 4326), d::jsonb
      FROM unnest(?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::timestamptz[], ?::float8[],
                  ?::float8[], ?::text[]) AS e(k, f, v, t, o, lon, lat, d)
      ON CONFLICT (event_key) DO NOTHING
      RETURNING id, type, vehicle_id, fleet_id, occurred_at, ST_Y(location), ST_X(location),
                details::text""";

  private final EventSettings settings;

  public EventStore(EventSettings settings) {
    this.settings = settings;
  }

  /**
   * Inserts the events not stored before; returns those. Events first detected long after they
   * happened (late pings) are marked {@code live=false}, so consumers need not alert on them.
   */
  public List<VehicleEvent> insertNew(Connection c, List<PendingEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return List.of();
    }
    Instant liveSince = Instant.now().minus(settings.liveWindow());
    int n = events.size();
    String[] keys = new String[n];
    UUID[] fleets = new UUID[n];
    UUID[] vehicles = new UUID[n];
    String[] types = new String[n];
    String[] times = new String[n];
    Double[] lons = new Double[n];
    Double[] lats = new Double[n];
    String[] details = new String[n];
    for (int i = 0; i < n; i++) {
      PendingEvent p = events.get(i);
      DetectedEvent e = p.event();
      keys[i] = e.key();
      fleets[i] = p.fleetId();
      vehicles[i] = p.vehicleId();
      types[i] = e.type();
      times[i] = e.at().recordedAt().toString();
      lons[i] = e.at().longitude();
      lats[i] = e.at().latitude();
      Map<String, Object> d = new LinkedHashMap<>(e.details());
      d.put("live", !e.at().recordedAt().isBefore(liveSince));
      details[i] = new String(FleetlineJson.write(d), StandardCharsets.UTF_8);
    }
    List<VehicleEvent> inserted = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      s.setArray(1, c.createArrayOf("text", keys));
      s.setArray(2, c.createArrayOf("uuid", fleets));
      s.setArray(3, c.createArrayOf("uuid", vehicles));
      s.setArray(4, c.createArrayOf("text", types));
      s.setArray(5, c.createArrayOf("text", times));
      s.setArray(6, c.createArrayOf("float8", lons));
      s.setArray(7, c.createArrayOf("float8", lats));
      s.setArray(8, c.createArrayOf("text", details));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          inserted.add(read(rs));
        }
      }
    }
    return inserted;
  }

  @SuppressWarnings("unchecked")
  static VehicleEvent read(ResultSet rs) throws SQLException {
    return new VehicleEvent(
        VehicleEvent.CURRENT_VERSION,
        rs.getLong(1),
        rs.getString(2),
        rs.getObject(3, UUID.class),
        rs.getObject(4, UUID.class),
        rs.getTimestamp(5).toInstant(),
        rs.getObject(6, Double.class),
        rs.getObject(7, Double.class),
        FleetlineJson.read(rs.getString(8).getBytes(StandardCharsets.UTF_8), Map.class));
  }
}
