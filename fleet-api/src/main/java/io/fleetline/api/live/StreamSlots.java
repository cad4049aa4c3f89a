package io.fleetline.api.live;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Counts the open streams of each client and each fleet, so that no client or fleet holds more than
 * its share of connections and of the memory each stream's queue and buffers take.
 */
final class StreamSlots {

  private final int perClient;
  private final int perFleet;
  private final Map<String, Integer> clients = new HashMap<>();
  private final Map<UUID, Integer> fleets = new HashMap<>();

  StreamSlots(int perClient, int perFleet) {
    this.perClient = perClient;
    this.perFleet = perFleet;
  }

  /** Takes a slot for one more stream, unless the client or its fleet has all of theirs open. */
  synchronized boolean take(String clientId, UUID fleetId) {
    if (clients.getOrDefault(clientId, 0) >= perClient
        || fleets.getOrDefault(fleetId, 0) >= perFleet) {
      return false;
    }
    clients.merge(clientId, 1, Integer::sum);
    fleets.merge(fleetId, 1, Integer::sum);
    return true;
  }

  /** Gives back a slot that {@link #take} handed out. */
  synchronized void release(String clientId, UUID fleetId) {
    clients.computeIfPresent(clientId, (k, n) -> n > 1 ? n - 1 : null);
    fleets.computeIfPresent(fleetId, (k, n) -> n > 1 ? n - 1 : null);
  }

  synchronized int ofClient(String clientId) {
    return clients.getOrDefault(clientId, 0);
  }

  synchronized int ofFleet(UUID fleetId) {
    return fleets.getOrDefault(fleetId, 0);
  }
}
