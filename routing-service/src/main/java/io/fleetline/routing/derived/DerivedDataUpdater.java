package io.fleetline.routing.derived;

import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.event.EventDetector;
import io.fleetline.routing.event.EventStore;
import io.fleetline.routing.geofence.GeofenceCache;
import io.fleetline.routing.position.HistoryFollower;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Recomputes trips, stops and events for the vehicles a batch added history to, inside the batch
 * transaction.
 *
 * <p>Per vehicle only a window of the history is recomputed ({@link VehicleWindow}), and the trips
 * and stops starting in it are brought to what detection finds there. Each vehicle's window comes
 * from the first source that can give it: kept in memory since the previous batch ({@link
 * KeptWindows}), else read from the database ({@link DatabaseWindows}). Both give the same window
 * for the same history, and every window goes the same way from there ({@link Derivation}).
 *
 * <p>Events stored earlier for a window that its recomputation no longer implies are retracted in
 * the same transaction, before the batch's new events are stored ({@link
 * io.fleetline.routing.event.EventDiff}).
 *
 * <p>Memory is bounded twice ({@link DerivedSettings}): the kept windows of all vehicles hold at
 * most a budget of samples ({@link VehicleWindows}), and windows read from the database are
 * detected and written a group of vehicles at a time.
 */
@Component
@ConditionalOnProperty(
    name = "fleetline.routing.derived.enabled",
    havingValue = "true",
    matchIfMissing = true)
class DerivedDataUpdater implements HistoryFollower {

  private final TripDetector trips;
  private final EventDetector events;
  private final GeofenceCache geofences;
  private final TripStore tripStore;
  private final EventStore eventStore;
  private final KeptWindows kept;
  private final List<WindowSource> sources;

  @Autowired
  DerivedDataUpdater(
      TripDetector trips,
      EventDetector events,
      GeofenceCache geofences,
      TripStore tripStore,
      EventStore eventStore,
      DerivedSettings settings,
      MeterRegistry meters) {
    this(
        trips,
        events,
        geofences,
        tripStore,
        eventStore,
        new KeptWindows(settings, meters),
        new DatabaseWindows(geofences, settings, meters));
  }

  private DerivedDataUpdater(
      TripDetector trips,
      EventDetector events,
      GeofenceCache geofences,
      TripStore tripStore,
      EventStore eventStore,
      KeptWindows kept,
      DatabaseWindows database) {
    this(trips, events, geofences, tripStore, eventStore, kept, List.of(kept, database));
  }

  /**
   * @param kept where the windows a batch leaves are kept
   * @param sources where windows come from, in order; the last gives every vehicle's
   */
  DerivedDataUpdater(
      TripDetector trips,
      EventDetector events,
      GeofenceCache geofences,
      TripStore tripStore,
      EventStore eventStore,
      KeptWindows kept,
      List<WindowSource> sources) {
    this.trips = trips;
    this.events = events;
    this.geofences = geofences;
    this.tripStore = tripStore;
    this.eventStore = eventStore;
    this.kept = kept;
    this.sources = sources;
  }

  @Override
  public Followed follow(Connection connection, Map<UUID, NewHistory> newHistory)
      throws SQLException {
    KeptWindows.Successors successors = kept.successors();
    Derivation derivation =
        new Derivation(
            connection, newHistory, trips, events, geofences, tripStore, eventStore, successors);
    Map<UUID, NewHistory> left = newHistory;
    for (WindowSource source : sources) {
      left = source.windows(connection, left, derivation);
    }
    if (!left.isEmpty()) {
      throw new IllegalStateException("no window for the vehicles " + left.keySet());
    }
    // Retractions first: an event raised again under a retracted event's key needs the key free.
    List<VehicleEvent> stored =
        new ArrayList<>(eventStore.retract(connection, derivation.retractedKeys()));
    stored.addAll(eventStore.insertNew(connection, derivation.pendingEvents()));
    return new Followed(stored, successors::keep);
  }

  @Override
  public void forget(Collection<String> partitions) {
    kept.forget(partitions);
  }
}
