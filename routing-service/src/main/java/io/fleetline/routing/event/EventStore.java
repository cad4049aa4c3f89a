package io.fleetline.routing.event;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.trip.WindowStart;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Stores detected events idempotently in {@code vehicle_events}: one statement per batch, {@code ON
 * CONFLICT (event_key) DO NOTHING}, returning only the rows that are new. Retracts the events that
 * later history no longer implies, also idempotently (see {@link #retract}).
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

  /**
   * The events of each window not retracted, of the types detection over windows raises; trip
   * events ending at or after the window's start may belong to a trip that starts before it, which
   * {@link RaisedEvent#anchoredAt} tells.
   */
  private static final String RAISED =
      """
      SELECT e.vehicle_id, e.event_key, e.occurred_at, e.details->>'tripStartedAt',
             e.details->>'geofenceId'
      FROM unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, since)
      JOIN vehicle_events e ON e.vehicle_id = w.vehicle_id AND e.occurred_at >= w.since
      WHERE e.retracted_by IS NULL AND e.type = ANY (?)""";

  /**
   * Retracts the events of the given keys that are not retracted yet, oldest first: a retraction
   * per event, with the event's vehicle, fleet, time, place and details and the retracted event's
   * id and type, {@code live} decided as for a new event of the same time (see {@link #insertNew}),
   * and the event marked retracted by it and renamed, so that its key is free for the same event
   * should later history imply it again. A retraction's own key is the retracted event's id, so no
   * event is retracted twice, whoever tries.
   */
  private static final String RETRACT =
      """
      WITH target AS (
          SELECT id, fleet_id, vehicle_id, type, occurred_at, location, details
          FROM vehicle_events
          WHERE event_key = ANY (?::text[]) AND retracted_by IS NULL),
      retraction AS (
          INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at, location,
                                      details)
          SELECT 'event_retracted:' || t.id, t.fleet_id, t.vehicle_id, 'event_retracted',
                 t.occurred_at, t.location,
                 t.details || jsonb_build_object('retractedId', t.id, 'retractedType', t.type,
                                                 'live', t.occurred_at >= ?::timestamptz)
          FROM target t ORDER BY t.id
          ON CONFLICT (event_key) DO NOTHING
          RETURNING id, type, vehicle_id, fleet_id, occurred_at, location, details)
      UPDATE vehicle_events o
      SET retracted_by = r.id, event_key = o.event_key || '#retracted-by:' || r.id
      FROM retraction r
      WHERE o.id = (r.details->>'retractedId')::bigint
      RETURNING r.id, r.type, r.vehicle_id, r.fleet_id, r.occurred_at, ST_Y(r.location),
                ST_X(r.location), r.details::text""";

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

  /**
   * The events stored for each vehicle's window and not retracted, of the types {@link
   * EventDetector#TYPES}: those anchored at or after the window's start ({@link
   * WindowStart#timestamptz}).
   */
  public Map<UUID, List<RaisedEvent>> raisedIn(Connection c, Map<UUID, WindowStart> windows)
      throws SQLException {
    Map<UUID, List<RaisedEvent>> raised = new HashMap<>();
    if (windows.isEmpty()) {
      return raised;
    }
    UUID[] vehicles = windows.keySet().toArray(UUID[]::new);
    String[] since = new String[vehicles.length];
    for (int i = 0; i < vehicles.length; i++) {
      since[i] = windows.get(vehicles[i]).timestamptz();
      raised.put(vehicles[i], new ArrayList<>());
    }
    try (PreparedStatement s = c.prepareStatement(RAISED)) {
      s.setArray(1, c.createArrayOf("uuid", vehicles));
      s.setArray(2, c.createArrayOf("text", since));
      s.setArray(3, c.createArrayOf("text", EventDetector.TYPES.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          UUID vehicle = rs.getObject(1, UUID.class);
          RaisedEvent event =
              RaisedEvent.of(
                  rs.getString(2),
                  rs.getTimestamp(3).toInstant(),
                  rs.getString(4),
                  rs.getString(5));
          if (windows.get(vehicle).contains(event.anchoredAt())) {
            raised.get(vehicle).add(event);
          }
        }
      }
    }
    return raised;
  }

  /**
   * Retracts the events of these keys that are not retracted yet; returns the retractions stored,
   * in the order of their ids. A retraction of an event that happened longer than the live window
   * ago is {@code live=false}, whatever the event said: it comes from late history. Run before
   * storing the batch's new events, whose keys may be those of events retracted here.
   */
  public List<VehicleEvent> retract(Connection c, List<String> keys) throws SQLException {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<VehicleEvent> retractions = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(RETRACT)) {
      s.setArray(1, c.createArrayOf("text", keys.toArray()));
      s.setString(2, Instant.now().minus(settings.liveWindow()).toString());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          retractions.add(read(rs));
        }
      }
    }
    retractions.sort(Comparator.comparingLong(VehicleEvent::id));
    return retractions;
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
