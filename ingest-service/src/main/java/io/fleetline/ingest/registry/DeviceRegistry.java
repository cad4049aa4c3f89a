package io.fleetline.ingest.registry;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The in-memory copy of the device registry, fed from the compacted devices topic. Lookups are
 * hash-map reads: no per-ping round trip anywhere.
 */
@Component
public class DeviceRegistry {

  private final Map<DeviceKey, DeviceRegistration> byKey = new ConcurrentHashMap<>();
  private final Map<String, DeviceRegistration> byTokenHash = new ConcurrentHashMap<>();
  private final List<Consumer<DeviceKey>> listeners = new CopyOnWriteArrayList<>();
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
  void apply(DeviceKey key, DeviceRegistration registration) {
    synchronized (this) {
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
    listeners.forEach(listener -> listener.accept(key));
  }

  /**
   * Tells the listener the key of every device registered, changed or removed from now on, after
   * the change is visible here. It runs on the thread that follows the registry topic, so it must
   * return at once.
   */
  public void onChange(Consumer<DeviceKey> listener) {
    listeners.add(listener);
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
