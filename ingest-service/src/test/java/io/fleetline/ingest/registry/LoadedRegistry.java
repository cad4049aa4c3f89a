package io.fleetline.ingest.registry;

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
}
