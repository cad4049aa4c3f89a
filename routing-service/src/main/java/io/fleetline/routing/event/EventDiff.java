package io.fleetline.routing.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What detection over a vehicle's window changes in the events stored for it: the detected events
 * not stored yet are raised, and the stored events the window's history no longer implies are
 * retracted. Pure: the same detection over the same stored events always gives the same difference,
 * so recomputing a window whose difference was stored changes nothing.
 *
 * <p>A stored event is retracted only when the window can tell: its history reaches back to the
 * event's anchor ({@link RaisedEvent#anchoredAt}), so detection over it would have found the event,
 * and, for a geofence event, its geofence is still the fleet's (a deleted geofence is no history
 * that contradicts its events).
 *
 * @param raised the detected events to store
 * @param retracted the keys of the stored events to retract
 */
public record EventDiff(List<DetectedEvent> raised, List<String> retracted) {

  /**
   * @param detected what detection over the window found
   * @param stored the events stored for the window and not retracted
   * @param coveredFrom the earliest time the window's history covers, null when it does not cover
   *     its own start (history dropped by retention): then nothing is retracted
   * @param geofences the ids of the fleet's geofences detection ran with
   */
  public static EventDiff of(
      List<DetectedEvent> detected,
      List<RaisedEvent> stored,
      Instant coveredFrom,
      Set<UUID> geofences) {
    Map<String, RaisedEvent> byKey = new HashMap<>();
    stored.forEach(e -> byKey.put(e.key(), e));
    List<DetectedEvent> raised = new ArrayList<>();
    Map<String, RaisedEvent> implied = new HashMap<>();
    for (DetectedEvent e : detected) {
      RaisedEvent found = RaisedEvent.of(e);
      implied.put(found.key(), found);
      RaisedEvent same = byKey.get(found.key());
      if (same == null || !same.sameAs(found)) {
        raised.add(e);
      }
    }
    List<String> retracted = new ArrayList<>();
    if (coveredFrom != null) {
      for (RaisedEvent e : stored) {
        RaisedEvent found = implied.get(e.key());
        boolean stillImplied = found != null && found.sameAs(e);
        if (!stillImplied && decidable(e, coveredFrom, geofences)) {
          retracted.add(e.key());
        }
      }
    }
    return new EventDiff(raised, retracted);
  }

  private static boolean decidable(RaisedEvent e, Instant coveredFrom, Set<UUID> geofences) {
    return !e.anchoredAt().isBefore(coveredFrom)
        && (e.geofenceId() == null || geofences.contains(e.geofenceId()));
  }
}
