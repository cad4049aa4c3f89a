package io.fleetline.simulator.truth;

/**
 * A vehicle the simulator registered through fleet-api, with its one device.
 *
 * @param vehicleId fleet-api's id of the vehicle
 * @param name the vehicle's name, {@code Simulated <identifier>}
 * @param protocol the device's protocol: {@code http}, {@code osmand}, {@code mqtt} or {@code
 *     teltonika}
 * @param identifier the device identifier (an IMEI for Teltonika)
 */
public record TruthVehicle(String vehicleId, String name, String protocol, String identifier) {}
