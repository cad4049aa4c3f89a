package io.fleetline.common;

import java.util.Set;
import java.util.UUID;

/**
 * One entry of the compacted {@link Topics#DEVICES} registry: which vehicle and fleet a device
 * belongs to and, for token-authenticated protocols, the SHA-256 hash of its token (hex). An MQTT
 * device also carries {@code mqttPasswordHash}, the Mosquitto password-file hash of the same token
 * ({@link MqttPasswordHash}), with which the broker checks its login; records written before that
 * field existed decode with it null. A {@link DeviceProtocol#GATEWAY gateway} also carries {@code
 * relays}, the identifiers of the {@code http} devices of its own fleet whose pings it may upload;
 * every other registration, and every record written before the field existed, has it null. A
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
    boolean enabled,
    String mqttPasswordHash,
    Set<String> relays) {

  public static final int CURRENT_VERSION = 1;

  /** A registration that relays for no one, as every protocol but a gateway has. */
  public DeviceRegistration(
      int v,
      UUID deviceId,
      UUID vehicleId,
      UUID fleetId,
      DeviceProtocol protocol,
      String identifier,
      String tokenSha256,
      boolean enabled,
      String mqttPasswordHash) {
    this(
        v,
        deviceId,
        vehicleId,
        fleetId,
        protocol,
        identifier,
        tokenSha256,
        enabled,
        mqttPasswordHash,
        null);
  }

  /** A registration without a broker password, as every protocol but MQTT has. */
  public DeviceRegistration(
      int v,
      UUID deviceId,
      UUID vehicleId,
      UUID fleetId,
      DeviceProtocol protocol,
      String identifier,
      String tokenSha256,
      boolean enabled) {
    this(v, deviceId, vehicleId, fleetId, protocol, identifier, tokenSha256, enabled, null, null);
  }

  /** Whether this gateway may upload the pings of the {@code http} device with this identifier. */
  public boolean relays(String identifier) {
    return protocol == DeviceProtocol.GATEWAY && relays != null && relays.contains(identifier);
  }

  public DeviceKey key() {
    return new DeviceKey(protocol, identifier);
  }
}
