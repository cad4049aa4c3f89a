package io.fleetline.api.vehicle;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.paging.Page;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.problem.ApiProblem;
import io.fleetline.api.vehicle.DeviceRegistryPublisher.DevicesChanged;
import io.fleetline.api.vehicle.DeviceRegistryPublisher.DevicesRemoved;
import io.fleetline.api.vehicle.VehicleViews.CreateVehicle;
import io.fleetline.api.vehicle.VehicleViews.DeviceToken;
import io.fleetline.api.vehicle.VehicleViews.NewDevice;
import io.fleetline.api.vehicle.VehicleViews.UpdateVehicle;
import io.fleetline.api.vehicle.VehicleViews.VehicleView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's fleet's vehicles and their devices. */
@RestController
@Tag(name = "Vehicles", description = "The fleet's vehicles and their devices")
@RequestMapping("/api/v1/vehicles")
class VehicleController {

  private final VehicleRepository vehicles;
  private final DeviceRepository devices;
  private final CallerFleet callerFleet;
  private final ApplicationEventPublisher events;
  private final JdbcClient latestPositions;

  VehicleController(
      VehicleRepository vehicles,
      DeviceRepository devices,
      CallerFleet callerFleet,
      ApplicationEventPublisher events,
      JdbcClient jdbc) {
    this.vehicles = vehicles;
    this.devices = devices;
    this.callerFleet = callerFleet;
    this.events = events;
    this.latestPositions = jdbc;
  }

  @PostMapping
  @Transactional
  @Operation(
      operationId = "createVehicle",
      summary =
          "Register a vehicle with its devices; HTTP and MQTT device tokens are shown only here")
  ResponseEntity<VehicleView> create(
      @Valid @RequestBody CreateVehicle request, Authentication caller) {
    UUID fleetId = callerFleet.of(caller);
    List<NewDevice> newDevices = request.devices() == null ? List.of() : request.devices();
    checkIdentifiersFree(newDevices);
    Vehicle vehicle =
        new Vehicle(
            fleetId,
            request.name().strip(),
            blankToNull(request.vin()),
            blankToNull(request.plate()));
    Map<Device, String> tokens = new HashMap<>();
    for (NewDevice d : newDevices) {
      DeviceSecret secret = DeviceSecret.issueFor(d.protocol());
      Device device =
          vehicle.addDevice(
              d.protocol(),
              d.identifier(),
              secret,
              d.protocol().equals("gateway") ? relayList(d) : null);
      if (secret.token() != null) {
        tokens.put(device, secret.token());
      }
    }
    vehicles.saveAndFlush(vehicle);
    Map<UUID, String> tokensById = new LinkedHashMap<>();
    tokens.forEach((device, token) -> tokensById.put(device.getId(), token));
    events.publishEvent(
        new DevicesChanged(vehicle.getDevices().stream().map(Device::toRegistration).toList()));
    return ResponseEntity.created(URI.create("/api/v1/vehicles/" + vehicle.getId()))
        .body(VehicleView.of(vehicle, tokensById));
  }

  @GetMapping
  @Transactional(readOnly = true)
  @Operation(operationId = "listVehicles", summary = "List the fleet's vehicles")
  Page<VehicleView> list(Paging paging, Authentication caller) {
    UUID fleetId = callerFleet.of(caller);
    List<Vehicle> fetched = vehicles.page(fleetId, paging.afterId(), Limit.of(paging.fetch()));
    return paging.page(fetched, v -> v.getId().toString()).map(v -> VehicleView.of(v, Map.of()));
  }

  @GetMapping("/{vehicleId}")
  @Transactional(readOnly = true)
  @Operation(operationId = "getVehicle", summary = "Get a vehicle")
  VehicleView get(@PathVariable UUID vehicleId, Authentication caller) {
    return vehicles
        .findByIdAndFleetId(vehicleId, callerFleet.of(caller))
        .map(v -> VehicleView.of(v, Map.of()))
        .orElseThrow(() -> ApiProblem.notFound("Vehicle " + vehicleId));
  }

  @PatchMapping("/{vehicleId}")
  @Transactional
  @Operation(
      operationId = "updateVehicle",
      summary = "Change a vehicle; absent fields stay, an empty vin or plate clears it")
  VehicleView update(
      @PathVariable UUID vehicleId,
      @Valid @RequestBody UpdateVehicle request,
      Authentication caller) {
    Vehicle vehicle = find(vehicleId, caller);
    if (request.name() != null) {
      if (request.name().isBlank()) {
        throw ApiProblem.badRequest("name", "name must not be blank");
      }
      vehicle.rename(request.name().strip());
    }
    if (request.vin() != null || request.plate() != null) {
      vehicle.identify(
          request.vin() == null ? vehicle.getVin() : blankToNull(request.vin()),
          request.plate() == null ? vehicle.getPlate() : blankToNull(request.plate()));
    }
    vehicles.saveAndFlush(vehicle);
    return VehicleView.of(vehicle, Map.of());
  }

  @DeleteMapping("/{vehicleId}")
  @Transactional
  @Operation(
      operationId = "deleteVehicle",
      summary = "Delete a vehicle; its devices are removed from ingest")
  ResponseEntity<Void> delete(@PathVariable UUID vehicleId, Authentication caller) {
    Vehicle vehicle = find(vehicleId, caller);
    List<String> keys = vehicle.getDevices().stream().map(Device::registryKey).toList();
    vehicles.delete(vehicle);
    vehicles.flush();
    // The vehicle no longer appears on maps; its history stays until its partitions are dropped.
    latestPositions
        .sql("DELETE FROM latest_positions WHERE vehicle_id = ?")
        .param(vehicleId)
        .update();
    events.publishEvent(new DevicesRemoved(keys));
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/{vehicleId}/devices/{deviceId}/token")
  @Transactional
  @Operation(
      operationId = "rotateDeviceToken",
      summary = "Issue a new token for an HTTP, MQTT or gateway device; the old one stops working")
  DeviceToken rotateToken(
      @PathVariable UUID vehicleId, @PathVariable UUID deviceId, Authentication caller) {
    Device device =
        find(vehicleId, caller).getDevices().stream()
            .filter(d -> d.getId().equals(deviceId))
            .findFirst()
            .orElseThrow(() -> ApiProblem.notFound("Device " + deviceId));
    if (!DeviceSecret.usesToken(device.getProtocol())) {
      throw ApiProblem.conflict(
          "Only http, mqtt and gateway devices authenticate with a token; this one uses "
              + device.getProtocol());
    }
    DeviceSecret secret = DeviceSecret.issueFor(device.getProtocol());
    device.replaceToken(secret);
    devices.saveAndFlush(device);
    events.publishEvent(new DevicesChanged(List.of(device.toRegistration())));
    return new DeviceToken(device.getId(), secret.token());
  }

  private Vehicle find(UUID vehicleId, Authentication caller) {
    return vehicles
        .findByIdAndFleetId(vehicleId, callerFleet.of(caller))
        .orElseThrow(() -> ApiProblem.notFound("Vehicle " + vehicleId));
  }

  private void checkIdentifiersFree(List<NewDevice> newDevices) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < newDevices.size(); i++) {
      NewDevice d = newDevices.get(i);
      String field = "devices[" + i + "].identifier";
      if (!seen.add(d.protocol() + ":" + d.identifier())) {
        throw ApiProblem.badRequest(field, "the same device is listed twice");
      }
      if (DeviceSecret.logsInToTheBroker(d.protocol()) && d.identifier().contains(":")) {
        // The identifier is the device's broker username, and the broker's password file
        // separates username and hash with a colon.
        throw ApiProblem.badRequest(field, "an MQTT or gateway identifier may not contain ':'");
      }
      String otherLogin =
          d.protocol().equals("mqtt") ? "gateway" : d.protocol().equals("gateway") ? "mqtt" : null;
      if (otherLogin != null
          && (seen.contains(otherLogin + ":" + d.identifier())
              || !devices.takenIdentifiers(otherLogin, List.of(d.identifier())).isEmpty())) {
        // MQTT devices and gateways share the broker's usernames.
        throw ApiProblem.conflict(
                "The broker username '"
                    + d.identifier()
                    + "' is taken by an "
                    + otherLogin
                    + " device.")
            .with("field", field);
      }
      // An empty list relays nothing: generated clients send [] for an unset list.
      if (d.relays() != null && !d.relays().isEmpty() && !d.protocol().equals("gateway")) {
        throw ApiProblem.badRequest(
            "devices[" + i + "].relays", "only a gateway relays the pings of other devices");
      }
      if (d.protocol().equals("teltonika") && !d.identifier().matches("\\d{15}")) {
        throw ApiProblem.badRequest(field, "a Teltonika identifier is the device's 15-digit IMEI");
      }
      if (!devices.takenIdentifiers(d.protocol(), List.of(d.identifier())).isEmpty()) {
        throw ApiProblem.conflict(
                "A " + d.protocol() + " device '" + d.identifier() + "' is already registered.")
            .with("field", field);
      }
    }
  }

  /** A gateway's relay list, each identifier once, in the order given. */
  private static List<String> relayList(NewDevice gateway) {
    return gateway.relays() == null
        ? List.of()
        : List.copyOf(new java.util.LinkedHashSet<>(gateway.relays()));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
