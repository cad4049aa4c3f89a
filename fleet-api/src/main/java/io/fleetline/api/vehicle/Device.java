package io.fleetline.api.vehicle;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A device (tracker, phone, gateway) that reports a vehicle's position over one protocol. */
@Entity
@Table(name = "devices")
class Device {

  @Id
  @GeneratedValue(strategy = GenerationType.UUID)
  private UUID id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "vehicle_id")
  private Vehicle vehicle;

  private UUID fleetId;
  private String protocol;
  private String identifier;
  private String tokenSha256;
  private String mqttPasswordHash;
  private boolean enabled;
  private Instant createdAt;

  /** A gateway's: the identifiers of the http devices whose pings it may upload. */
  @JdbcTypeCode(SqlTypes.ARRAY)
  private String[] relays;

  protected Device() {}

  Device(
      Vehicle vehicle,
      String protocol,
      String identifier,
      DeviceSecret secret,
      List<String> relays) {
    this.vehicle = vehicle;
    this.fleetId = vehicle.getFleetId();
    this.protocol = protocol;
    this.identifier = identifier;
    this.tokenSha256 = secret.tokenSha256();
    this.mqttPasswordHash = secret.mqttPasswordHash();
    this.enabled = true;
    this.createdAt = Instant.now();
    this.relays = relays == null ? null : relays.toArray(String[]::new);
  }

  /** The registry entry that ingest needs for this device. */
  DeviceRegistration toRegistration() {
    return new DeviceRegistration(
        DeviceRegistration.CURRENT_VERSION,
        id,
        vehicle.getId(),
        fleetId,
        DeviceProtocol.fromWire(protocol),
        identifier,
        tokenSha256,
        enabled,
        mqttPasswordHash,
        relays == null ? null : Set.of(relays));
  }

  void replaceToken(DeviceSecret secret) {
    this.tokenSha256 = secret.tokenSha256();
    this.mqttPasswordHash = secret.mqttPasswordHash();
  }

  /** The key of this device in the compacted registry topic. */
  String registryKey() {
    return protocol + ":" + identifier;
  }

  UUID getId() {
    return id;
  }

  String getProtocol() {
    return protocol;
  }

  String getIdentifier() {
    return identifier;
  }

  boolean isEnabled() {
    return enabled;
  }

  List<String> getRelays() {
    return relays == null ? null : List.of(relays);
  }
}
