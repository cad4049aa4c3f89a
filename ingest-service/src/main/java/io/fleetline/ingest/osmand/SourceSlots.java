package io.fleetline.ingest.osmand;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Requests in progress per remote address (an IPv6 one by its /64), bounded, so that one client's
 * slow or numerous requests cannot take the whole port.
 */
final class SourceSlots {

  private final int max;
  private final Counter refused;
  private final ConcurrentMap<String, Integer> inProgress = new ConcurrentHashMap<>();

  SourceSlots(int max, Counter refused) {
    this.max = max;
    this.refused = refused;
  }

  /** Takes a slot for the address; false (and nothing taken) when it holds all it may. */
  boolean tryAcquire(String source) {
    int now = inProgress.merge(source, 1, Integer::sum);
    if (now > max) {
      release(source);
      refused.increment();
      return false;
    }
    return true;
  }

  void release(String source) {
    inProgress.computeIfPresent(source, (key, count) -> count == 1 ? null : count - 1);
  }

  int max() {
    return max;
  }
}
