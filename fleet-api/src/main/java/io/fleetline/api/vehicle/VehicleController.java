package io.fleetline.api.vehicle;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.problem.ApiProblem;
import io.fleetline.api.vehicle.DeviceRegistryPublisher.DevicesChanged;
import io.fleetline.api.vehicle.VehicleViews.CreateVehicle;
import io.fleetline.api.vehicle.VehicleViews.NewDevice;
import io.fleetline.api.vehicle.VehicleViews.VehicleView;
import io.fleetline.common.DeviceTokens;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's fleet's vehicles and their devices. */
@RestController
@RequestMapping("/api/v1/vehicles")
@Validated
class VehicleController {

  private final VehicleRepository vehicles;
  private final DeviceRepository devices;
  private final CallerFleet callerFleet;
  private final ApplicationEventPublisher events;

  VehicleController(
      VehicleRepository vehicles,
      DeviceRepository devices,
      CallerFleet callerFleet,
      ApplicationEventPublisher events) {
    this.vehicles = vehicles;
    this.devices = devices;
    this.callerFleet = callerFleet;
    this.events = events;
  }

  @PostMapping
  @Transactional
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
      String token = d.protocol().equals("http") ? DeviceTokens.newToken() : null;
      Device device =
          vehicle.addDevice(
              d.protocol(), d.identifier(), token == null ? null : DeviceTokens.sha256Hex(token));
      if (token != null) {
        tokens.put(device, token);
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
  Map<String, Object> list(
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
      @RequestParam(required = false) String cursor,
      Authentication caller) {
    UUID fleetId = callerFleet.of(caller);
    List<Vehicle> page = vehicles.page(fleetId, decodeCursor(cursor), Limit.of(limit + 1));
    boolean more = page.size() > limit;
    List<Vehicle> items = more ? page.subList(0, limit) : page;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items.stream().map(v -> VehicleView.of(v, Map.of())).toList());
    body.put("nextCursor", more ? encodeCursor(items.get(items.size() - 1).getId()) : null);
    return body;
  }

  @GetMapping("/{vehicleId}")
  @Transactional(readOnly = true)
  VehicleView get(@PathVariable UUID vehicleId, Authentication caller) {
    return vehicles
        .findByIdAndFleetId(vehicleId, callerFleet.of(caller))
        .map(v -> VehicleView.of(v, Map.of()))
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

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  static String encodeCursor(UUID id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(id.toString().getBytes(StandardCharsets.US_ASCII));
  }

  static UUID decodeCursor(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("cursor", "the cursor is not one this API issued");
    }
  }
}
