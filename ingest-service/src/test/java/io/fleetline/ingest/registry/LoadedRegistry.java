package io.fleetline.ingest.registry;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceRegistration;

/** A device registry that has loaded, holding the given devices: for tests outside Kafka. */
public final class LoadedRegistry {

  private LoadedRegistry() {}

  public static DeviceRegistry of(DeviceRegistration... devices) {
    DeviceRegistry registry = new DeviceRegistry();
    for (DeviceRegistration device : devices) {
      registry.apply(device.key(), device);
    }
    registry.markLoaded();
    return registry;
  }

  /** Registers, changes or (with null) removes a device, as a record on the registry topic does. */
  public static void apply(DeviceRegistry registry, DeviceKey key, DeviceRegistration device) {
    registry.apply(key, device);
  }
}
