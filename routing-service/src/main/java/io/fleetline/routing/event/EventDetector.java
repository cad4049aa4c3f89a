package io.fleetline.routing.event;

import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.geofence.Geofence;
import io.fleetline.routing.trip.Detection;
import io.fleetline.routing.trip.Sample;
import io.fleetline.routing.trip.Trip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Finds trip, geofence and overspeed events in a window of a vehicle's history; pure and
 * deterministic, keyed so that recomputing a window finds the same keys again.
 *
 * <ul>
 *   <li>{@code trip_started} / {@code trip_ended}: one per detected trip (ended once closed), keyed
 *       by the trip's start.
 *   <li>{@code geofence_entered}: at the first sample inside after one outside, once the vehicle
 *       has stayed inside for the geofence's dwell time; {@code geofence_exited} at the first
 *       sample outside after such a stay. The sample before the window tells where the vehicle was.
 *   <li>{@code overspeed}: one per episode of consecutive samples above the limit lasting at least
 *       the minimum duration; the limit is the lowest of the geofences the vehicle is in, else the
 *       fleet's.
 * </ul>
 */
public final class EventDetector {

  /**
   * The types this detector raises: over a window of history, so a recomputation of the window may
   * retract them.
   */
  public static final List<String> TYPES =
      List.of(
          VehicleEvent.TRIP_STARTED,
          VehicleEvent.TRIP_ENDED,
          VehicleEvent.GEOFENCE_ENTERED,
          VehicleEvent.GEOFENCE_EXITED,
          VehicleEvent.OVERSPEED);

  private final EventSettings settings;

  public EventDetector(EventSettings settings) {
    this.settings = settings;
  }

  /**
   * Events in {@code window}, given the sample just before it ({@code null} if none) and the trips
   * detected over the same window.
   */
  public List<DetectedEvent> detect(
      UUID vehicleId,
      UUID fleetId,
      Sample before,
      List<Sample> window,
      Detection detection,
      List<Geofence> geofences) {
    List<DetectedEvent> events = new ArrayList<>();
    for (Trip trip : detection.trips()) {
      String key = vehicleId + ":" + trip.startedAt();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("tripStartedAt", trip.startedAt().toString());
      events.add(
          new DetectedEvent(
              VehicleEvent.TRIP_STARTED + ":" + key,
              VehicleEvent.TRIP_STARTED,
              trip.start(),
              details));
      if (!trip.open()) {
        Map<String, Object> ended = new LinkedHashMap<>(details);
        ended.put("distanceM", Math.round(trip.distanceM()));
        ended.put("durationS", trip.durationS());
        events.add(
            new DetectedEvent(
                VehicleEvent.TRIP_ENDED + ":" + key, VehicleEvent.TRIP_ENDED, trip.end(), ended));
      }
    }
    for (Geofence geofence : geofences) {
      geofenceEvents(vehicleId, geofence, before, window, events);
    }
    overspeedEvents(vehicleId, fleetId, window, geofences, events);
    return events;
  }

  private static void geofenceEvents(
      UUID vehicleId, Geofence g, Sample before, List<Sample> window, List<DetectedEvent> out) {
    // Inside before the window counts as already entered: the entry was raised back then.
    boolean entered = before != null && g.contains(before.latitude(), before.longitude());
    Sample runStart = entered ? before : null;
    for (Sample s : window) {
      boolean inside = g.contains(s.latitude(), s.longitude());
      if (inside) {
        if (runStart == null) {
          runStart = s;
        }
        if (!entered
            && Duration.between(runStart.recordedAt(), s.recordedAt()).toSeconds() >= g.dwellS()) {
          entered = true;
          out.add(geofenceEvent(VehicleEvent.GEOFENCE_ENTERED, vehicleId, g, runStart));
        }
      } else {
        if (entered) {
          out.add(geofenceEvent(VehicleEvent.GEOFENCE_EXITED, vehicleId, g, s));
        }
        entered = false;
        runStart = null;
      }
    }
  }

  private static DetectedEvent geofenceEvent(String type, UUID vehicleId, Geofence g, Sample at) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("geofenceId", g.id().toString());
    details.put("geofenceName", g.name());
    return new DetectedEvent(
        type + ":" + vehicleId + ":" + g.id() + ":" + at.recordedAt(), type, at, details);
  }

  private void overspeedEvents(
      UUID vehicleId,
      UUID fleetId,
      List<Sample> window,
      List<Geofence> geofences,
      List<DetectedEvent> out) {
    Sample episodeStart = null;
    double maxSpeedKmh = 0;
    double limitKmh = 0;
    boolean raised = false;
    for (Sample s : window) {
      double limit = limitAt(fleetId, s, geofences);
      boolean over = s.speedKmh() != null && s.speedKmh() > limit;
      if (!over) {
        episodeStart = null;
        raised = false;
        continue;
      }
      if (episodeStart == null) {
        episodeStart = s;
        maxSpeedKmh = 0;
        limitKmh = limit;
      }
      maxSpeedKmh = Math.max(maxSpeedKmh, s.speedKmh());
      limitKmh = Math.min(limitKmh, limit);
      if (!raised
          && Duration.between(episodeStart.recordedAt(), s.recordedAt())
                  .compareTo(settings.minOverspeedDuration())
              >= 0) {
        raised = true;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("speedKmh", maxSpeedKmh);
        details.put("limitKmh", limitKmh);
        out.add(
            new DetectedEvent(
                VehicleEvent.OVERSPEED + ":" + vehicleId + ":" + episodeStart.recordedAt(),
                VehicleEvent.OVERSPEED,
                episodeStart,
                details));
      }
    }
  }

  private double limitAt(UUID fleetId, Sample s, List<Geofence> geofences) {
    double limit = Double.MAX_VALUE;
    for (Geofence g : geofences) {
      if (g.speedLimitKmh() != null
          && g.speedLimitKmh() < limit
          && g.contains(s.latitude(), s.longitude())) {
        limit = g.speedLimitKmh();
      }
    }
    return limit == Double.MAX_VALUE ? settings.speedLimitKmh(fleetId) : limit;
  }
}
