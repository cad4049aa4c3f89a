package io.fleetline.common;

import java.util.UUID;

/**
 * One entry of the compacted {@link Topics#DEVICES} registry: which vehicle and fleet a device
 * belongs to and, for token-authenticated protocols, the SHA-256 hash of its token (hex). A
 * tombstone (null value) removes the device.
 */
public record DeviceRegistration(
    int v,
    UUID deviceId,
    UUID vehicleId,
    UUID fleetId,
    DeviceProtocol protocol,
    String identifier,
    String tokenSha256,
    boolean enabled) {

  public static final int CURRENT_VERSION = 1;

  public DeviceKey key() {
    return new DeviceKey(protocol, identifier);
  }
}
