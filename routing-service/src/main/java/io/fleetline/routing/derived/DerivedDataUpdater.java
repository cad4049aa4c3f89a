package io.fleetline.routing.derived;

import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.event.DetectedEvent;
import io.fleetline.routing.event.EventDetector;
import io.fleetline.routing.event.EventStore;
import io.fleetline.routing.event.PendingEvent;
import io.fleetline.routing.geofence.GeofenceCache;
import io.fleetline.routing.position.HistoryFollower;
import io.fleetline.routing.position.HistorySamples;
import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripStore;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Recomputes trips, stops and events for the vehicles a batch added history to, inside the batch
 * transaction.
 *
 * <p>Per vehicle the window starts at the first sample of the last stop that ended before the
 * earliest new ping (the whole history when there is none): detection restarted there gives what
 * detection over the whole history would (see {@link TripDetector}), so only the window is read
 * from {@code positions}, and the trips and stops starting in it are deleted and inserted anew. A
 * fixed number of statements per batch serves all its vehicles.
 *
 * <p>Live data mostly comes in order, and then the next batch's window is known in advance: after a
 * committed batch each vehicle's window is kept in memory ({@link VehicleWindow}) for as long as
 * this consumer owns the vehicle's Kafka partition. A batch that only appends to a kept window
 * whose newest sample is still the newest stored one is detected over it without reading the
 * database, and only what changed is written; anything else (late pings, a vehicle seen first, a
 * partition just assigned, a failed batch) reads the window from the database as described above.
 * Both give the same rows, since they run the same detection over the same samples.
 *
 * <p>Memory is bounded twice ({@link DerivedSettings}): the kept windows of all vehicles hold at
 * most a budget of samples ({@link VehicleWindows}), and windows read from the database are
 * streamed in vehicle order, detected and written a group of vehicles at a time, so a batch of a
 * backlog touching many vehicles with long windows never holds all their history at once.
 */
@Component
@ConditionalOnProperty(
    name = "fleetline.routing.derived.enabled",
    havingValue = "true",
    matchIfMissing = true)
class DerivedDataUpdater implements HistoryFollower {

  /** Before any stored time: the window of a vehicle without a stop is its whole history. */
  private static final String ALL = "-infinity";

  /**
   * Each vehicle's last stop that ended before its earliest new ping; a vehicle's stops never
   * overlap, so ordering them by start orders them by end.
   */
  private static final String WINDOWS =
      """
      SELECT w.vehicle_id, s.started_at, s.ended_at, s.open
      FROM unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, earliest)
      LEFT JOIN LATERAL (
          SELECT started_at, ended_at, open FROM stops
          WHERE stops.vehicle_id = w.vehicle_id AND stops.started_at < w.earliest
            AND stops.ended_at < w.earliest
          ORDER BY started_at DESC LIMIT 1) s ON true""";

  private static final String SAMPLES =
      """
      SELECT p.vehicle_id, p.recorded_at, ST_Y(p.location), ST_X(p.location), p.speed_kmh,
             p.ignition
      FROM unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, since)
      JOIN positions p ON p.vehicle_id = w.vehicle_id AND p.recorded_at >= w.since
      WHERE p.recorded_at >= ?::timestamptz
      ORDER BY p.vehicle_id, p.recorded_at""";

  private static final String BEFORE =
      """
      SELECT w.vehicle_id, b.recorded_at, ST_Y(b.location), ST_X(b.location), b.speed_kmh,
             b.ignition
      FROM unnest(?::uuid[], ?::timestamptz[]) AS w(vehicle_id, since)
      JOIN LATERAL (
          SELECT recorded_at, location, speed_kmh, ignition FROM positions p
          WHERE p.vehicle_id = w.vehicle_id AND p.recorded_at < w.since
          ORDER BY p.recorded_at DESC LIMIT 1) b ON true""";

  /** Rows the database sends at a time while a batch's windows are read. */
  private static final int FETCH_ROWS = 10_000;

  private final TripDetector trips;
  private final EventDetector events;
  private final GeofenceCache geofences;
  private final TripStore tripStore;
  private final EventStore eventStore;
  private final VehicleWindows windows;
  private final int readChunkSamples;
  private final DistributionSummary readGroupSamples;

  DerivedDataUpdater(
      TripDetector trips,
      EventDetector events,
      GeofenceCache geofences,
      TripStore tripStore,
      EventStore eventStore,
      DerivedSettings settings,
      MeterRegistry meters) {
    this.trips = trips;
    this.events = events;
    this.geofences = geofences;
    this.tripStore = tripStore;
    this.eventStore = eventStore;
    this.readChunkSamples = settings.readChunkSamples();
    this.windows =
        new VehicleWindows(
            settings.maxWindowSamples(),
            settings.keptSamplesBudget(Runtime.getRuntime().maxMemory()));
    this.readGroupSamples =
        DistributionSummary.builder("fleetline.routing.derived.read.samples")
            .description(
                "History samples read from the database and held together, per group of vehicles"
                    + " detected and written")
            .register(meters);
    Gauge.builder("fleetline.routing.derived.kept.samples", windows, VehicleWindows::keptSamples)
        .description("History samples held in memory in vehicles' windows between batches")
        .register(meters);
    Gauge.builder("fleetline.routing.derived.kept.samples.budget", windows, VehicleWindows::budget)
        .description("The most history samples vehicles' windows may hold together")
        .register(meters);
    Gauge.builder("fleetline.routing.derived.kept.windows", windows, VehicleWindows::size)
        .description("Vehicles whose window is held in memory between batches")
        .register(meters);
  }

  /**
   * The windows a batch will keep once it commits, together at most the budget of kept samples:
   * until then they are held besides the windows already kept.
   */
  private final class NextWindows {
    final Map<UUID, VehicleWindow> windows = new HashMap<>();
    private long samples;

    void offer(UUID vehicle, VehicleWindow window) {
      int size = window.samples().size();
      if (DerivedDataUpdater.this.windows.keepable(size)
          && samples + size <= DerivedDataUpdater.this.windows.budget()) {
        windows.put(vehicle, window);
        samples += size;
      }
    }
  }

  @Override
  public Followed follow(Connection connection, Map<UUID, NewHistory> newHistory)
      throws SQLException {
    Map<UUID, VehicleWindow> appending = new HashMap<>();
    Map<UUID, NewHistory> unknown = new HashMap<>();
    newHistory.forEach(
        (vehicle, added) -> {
          VehicleWindow known = added.owner() == null ? null : windows.take(added.owner(), vehicle);
          // Valid only if nothing was stored for the vehicle since (the newest stored time is the
          // window's) and the batch only appends after it.
          if (known != null
              && known.latest().equals(added.previousLatest())
              && added.earliest().isAfter(known.latest())) {
            appending.put(vehicle, known);
          } else {
            unknown.put(vehicle, added);
          }
        });
    List<PendingEvent> detected = new ArrayList<>();
    NextWindows next = new NextWindows();
    // Windows that were kept come first to the budget of windows kept after this batch.
    append(connection, newHistory, appending, detected, next);
    recompute(connection, unknown, detected, next);
    List<VehicleEvent> events = eventStore.insertNew(connection, detected);
    return new Followed(
        events,
        () ->
            next.windows.forEach(
                (vehicle, window) ->
                    windows.put(newHistory.get(vehicle).owner(), vehicle, window)));
  }

  @Override
  public void forget(Collection<String> partitions) {
    windows.forget(partitions);
  }

  /** Detection over windows kept in memory, extended by the batch's rows; only changes written. */
  private void append(
      Connection connection,
      Map<UUID, NewHistory> newHistory,
      Map<UUID, VehicleWindow> appending,
      List<PendingEvent> detected,
      NextWindows next)
      throws SQLException {
    List<TripStore.Change> changes = new ArrayList<>(appending.size());
    for (Map.Entry<UUID, VehicleWindow> e : appending.entrySet()) {
      UUID vehicle = e.getKey();
      VehicleWindow known = e.getValue();
      NewHistory added = newHistory.get(vehicle);
      List<Sample> samples = new ArrayList<>(known.samples().size() + added.added().size());
      samples.addAll(known.samples());
      samples.addAll(added.added());
      Detection detection =
          known.afterStop() ? trips.detectAfterStop(samples) : trips.detect(samples);
      changes.add(new TripStore.Change(vehicle, added.fleetId(), known.stored(), detection));
      Set<String> keys =
          detect(
              vehicle,
              added.fleetId(),
              known.before(),
              samples,
              detection,
              known.eventKeys(),
              detected);
      VehicleWindow grown =
          new VehicleWindow(
              added.fleetId(),
              known.since(),
              known.afterStop(),
              samples,
              known.before(),
              known.stored(),
              known.eventKeys());
      next.offer(vehicle, grown.next(detection, keys));
    }
    tripStore.update(connection, changes);
  }

  /**
   * Events of one window; those whose keys are in {@code stored} are known to be stored already and
   * are left out. Returns the keys of all events detected.
   */
  private Set<String> detect(
      UUID vehicle,
      UUID fleet,
      Sample before,
      List<Sample> window,
      Detection detection,
      Set<String> stored,
      List<PendingEvent> out) {
    Set<String> keys = new HashSet<>();
    for (DetectedEvent e :
        events.detect(vehicle, fleet, before, window, detection, geofences.forFleet(fleet))) {
      keys.add(e.key());
      if (!stored.contains(e.key())) {
        out.add(new PendingEvent(vehicle, fleet, e));
      }
    }
    return keys;
  }

  /**
   * Detection over windows read from the database; what starts in them is replaced. The windows are
   * streamed in vehicle order, and detected and written whenever the vehicles read so far hold
   * {@code readChunkSamples}: only their trips (whose paths are the samples) wait for the write.
   */
  private void recompute(
      Connection connection,
      Map<UUID, NewHistory> newHistory,
      List<PendingEvent> detected,
      NextWindows next)
      throws SQLException {
    if (newHistory.isEmpty()) {
      return;
    }
    Map<UUID, String> since = new HashMap<>();
    Set<UUID> afterStop = new HashSet<>();
    windows(connection, newHistory, since, afterStop);
    Map<UUID, Sample> before = before(connection, since, newHistory);
    Set<UUID> unread = new HashSet<>(since.keySet());
    List<TripStore.Window> results = new ArrayList<>();
    int held = 0;
    try (PreparedStatement s = HistorySamples.prepareBinary(connection, SAMPLES)) {
      bindWindows(connection, s, since);
      // A constant lower bound lets the planner skip partitions older than every window.
      s.setString(3, lowest(since));
      // Rows come a round trip at a time, never many more than a group holds.
      s.setFetchSize(Math.min(FETCH_ROWS, readChunkSamples));
      try (ResultSet rs = s.executeQuery()) {
        UUID vehicle = null;
        List<Sample> window = new ArrayList<>();
        while (rs.next()) {
          UUID rowVehicle = rs.getObject(1, UUID.class);
          if (!rowVehicle.equals(vehicle)) {
            if (vehicle != null) {
              results.add(
                  detectRead(
                      vehicle, window, since, afterStop, before, newHistory, detected, next));
              held += window.size();
              unread.remove(vehicle);
              if (held >= readChunkSamples) {
                readGroupSamples.record(held);
                tripStore.replace(connection, results);
                results.clear();
                held = 0;
              }
            }
            vehicle = rowVehicle;
            window = new ArrayList<>();
          }
          window.add(HistorySamples.read(rs, 2));
        }
        if (vehicle != null) {
          results.add(
              detectRead(vehicle, window, since, afterStop, before, newHistory, detected, next));
          held += window.size();
          unread.remove(vehicle);
        }
      }
    }
    for (UUID vehicle : unread) {
      results.add(
          detectRead(vehicle, List.of(), since, afterStop, before, newHistory, detected, next));
    }
    readGroupSamples.record(held);
    tripStore.replace(connection, results);
  }

  /** Detection over one vehicle's window as read from the database. */
  private TripStore.Window detectRead(
      UUID vehicle,
      List<Sample> window,
      Map<UUID, String> since,
      Set<UUID> afterStop,
      Map<UUID, Sample> before,
      Map<UUID, NewHistory> newHistory,
      List<PendingEvent> detected,
      NextWindows next) {
    NewHistory added = newHistory.get(vehicle);
    UUID fleet = added.fleetId();
    boolean fromDeparture = afterStop.contains(vehicle);
    Detection detection = fromDeparture ? trips.detectAfterStop(window) : trips.detect(window);
    Set<String> keys =
        detect(vehicle, fleet, before.get(vehicle), window, detection, Set.of(), detected);
    String start = since.get(vehicle);
    if (added.owner() != null && !window.isEmpty()) {
      VehicleWindow read =
          new VehicleWindow(
              fleet,
              ALL.equals(start) ? null : Instant.parse(start),
              fromDeparture,
              window,
              before.get(vehicle),
              detection,
              keys);
      next.offer(vehicle, read.next(detection, keys));
    }
    return new TripStore.Window(vehicle, fleet, start, detection);
  }

  /**
   * Where each vehicle's window starts: at the first sample of the last stop that ended before the
   * earliest new ping, or, when the batch only appends after all stored history and that stop is
   * over, at its departure; the whole history when there is no stop.
   */
  private static void windows(
      Connection c, Map<UUID, NewHistory> newHistory, Map<UUID, String> since, Set<UUID> afterStop)
      throws SQLException {
    UUID[] vehicles = newHistory.keySet().toArray(UUID[]::new);
    String[] earliest = new String[vehicles.length];
    for (int i = 0; i < vehicles.length; i++) {
      earliest[i] = newHistory.get(vehicles[i]).earliest().toString();
    }
    try (PreparedStatement s = c.prepareStatement(WINDOWS)) {
      s.setArray(1, c.createArrayOf("uuid", vehicles));
      s.setArray(2, c.createArrayOf("text", earliest));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          UUID vehicle = rs.getObject(1, UUID.class);
          java.sql.Timestamp start = rs.getTimestamp(2);
          if (start == null) {
            since.put(vehicle, ALL);
            continue;
          }
          NewHistory added = newHistory.get(vehicle);
          boolean appendOnly =
              added.previousLatest() != null && added.earliest().isAfter(added.previousLatest());
          if (appendOnly && !rs.getBoolean(4)) {
            since.put(vehicle, rs.getTimestamp(3).toInstant().toString());
            afterStop.add(vehicle);
          } else {
            since.put(vehicle, start.toInstant().toString());
          }
        }
      }
    }
  }

  /** The earliest start of the windows. */
  private static String lowest(Map<UUID, String> since) {
    if (since.containsValue(ALL)) {
      return ALL;
    }
    return since.values().stream()
        .map(Instant::parse)
        .min(Instant::compareTo)
        .orElseThrow()
        .toString();
  }

  private Map<UUID, Sample> before(
      Connection c, Map<UUID, String> since, Map<UUID, NewHistory> newHistory) throws SQLException {
    // Geofence state needs the sample before a window where there are geofences; a window kept
    // in memory needs it in case they come.
    Map<UUID, String> needed = new HashMap<>();
    since.forEach(
        (vehicle, start) -> {
          NewHistory added = newHistory.get(vehicle);
          if (!ALL.equals(start)
              && (added.owner() != null || !geofences.forFleet(added.fleetId()).isEmpty())) {
            needed.put(vehicle, start);
          }
        });
    Map<UUID, Sample> before = new HashMap<>();
    if (needed.isEmpty()) {
      return before;
    }
    try (PreparedStatement s = c.prepareStatement(BEFORE)) {
      bindWindows(c, s, needed);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          before.put(rs.getObject(1, UUID.class), HistorySamples.read(rs, 2));
        }
      }
    }
    return before;
  }

  static void bindWindows(Connection c, PreparedStatement s, Map<UUID, String> since)
      throws SQLException {
    UUID[] vehicles = since.keySet().toArray(UUID[]::new);
    String[] starts = new String[vehicles.length];
    for (int i = 0; i < vehicles.length; i++) {
      starts[i] = since.get(vehicles[i]);
    }
    s.setArray(1, c.createArrayOf("uuid", vehicles));
    s.setArray(2, c.createArrayOf("text", starts));
  }
}
