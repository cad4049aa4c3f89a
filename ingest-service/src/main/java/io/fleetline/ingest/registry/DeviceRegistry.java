package io.fleetline.ingest.registry;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The in-memory copy of the device registry, fed from the compacted devices topic. Lookups are
 * hash-map reads: no per-ping round trip anywhere.
 */
@Component
public class DeviceRegistry {

  private final Map<DeviceKey, DeviceRegistration> byKey = new ConcurrentHashMap<>();
  private final Map<String, DeviceRegistration> byTokenHash = new ConcurrentHashMap<>();
  private volatile boolean loaded;
  private volatile long changes;

  /** The device that holds this bearer token, if any. */
  public Optional<DeviceRegistration> findByToken(String token) {
    String hash = DeviceTokens.sha256Hex(token);
    DeviceRegistration found = byTokenHash.get(hash);
    // The map lookup already matched the hash; comparing again in constant time keeps the final
    // decision free of data-dependent timing.
    if (found == null || !DeviceTokens.hashesEqual(found.tokenSha256(), hash)) {
      return Optional.empty();
    }
    return Optional.of(found);
  }

  /** The device registered under this protocol and identifier, if any. */
  public Optional<DeviceRegistration> find(DeviceKey key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** Applies one registry record; {@code null} (a tombstone) removes the device. */
  synchronized void apply(DeviceKey key, DeviceRegistration registration) {
    DeviceRegistration previous =
        registration == null ? byKey.remove(key) : byKey.put(key, registration);
    if (previous != null && previous.tokenSha256() != null) {
      byTokenHash.remove(previous.tokenSha256(), previous);
    }
    if (registration != null && registration.tokenSha256() != null) {
      byTokenHash.put(registration.tokenSha256(), registration);
    }
    changes++;
  }

  /** How many records have been applied so far; grows with every change. */
  public long changes() {
    return changes;
  }

  /** Every registered device, a live read-only view. */
  public Collection<DeviceRegistration> all() {
    return Collections.unmodifiableCollection(byKey.values());
  }

  /** Whether the registry has read the topic up to where it ended at start-up. */
  public boolean isLoaded() {
    return loaded;
  }

  void markLoaded() {
    loaded = true;
  }

  public int size() {
    return byKey.size();
  }
}
