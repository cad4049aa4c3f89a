package io.fleetline.api.vehicle;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A vehicle of a fleet, with the devices that report for it. */
@Entity
@Table(name = "vehicles")
class Vehicle {

  @Id
  @GeneratedValue(strategy = GenerationType.UUID)
  private UUID id;

  private UUID fleetId;
  private String name;
  private String vin;
  private String plate;
  private Instant createdAt;
  private Instant updatedAt;

  @OneToMany(mappedBy = "vehicle", cascade = CascadeType.ALL, orphanRemoval = true)
  @OrderBy("createdAt, id")
  private List<Device> devices = new ArrayList<>();

  protected Vehicle() {}

  Vehicle(UUID fleetId, String name, String vin, String plate) {
    this.fleetId = fleetId;
    this.name = name;
    this.vin = vin;
    this.plate = plate;
    this.createdAt = Instant.now();
    this.updatedAt = createdAt;
  }

  Device addDevice(String protocol, String identifier, DeviceSecret secret, List<String> relays) {
    Device device = new Device(this, protocol, identifier, secret, relays);
    devices.add(device);
    return device;
  }

  void rename(String name) {
    this.name = name;
    this.updatedAt = Instant.now();
  }

  void identify(String vin, String plate) {
    this.vin = vin;
    this.plate = plate;
    this.updatedAt = Instant.now();
  }

  UUID getId() {
    return id;
  }

  UUID getFleetId() {
    return fleetId;
  }

  String getName() {
    return name;
  }

  String getVin() {
    return vin;
  }

  String getPlate() {
    return plate;
  }

  Instant getCreatedAt() {
    return createdAt;
  }

  List<Device> getDevices() {
    return devices;
  }
}
