package io.fleetline.simulator;

/**
 * A simulated vehicle's registered device.
 *
 * @param vehicleId fleet-api's vehicle id
 * @param token the HTTP device token, {@code null} for the other protocols
 */
record Device(String vehicleId, Protocol protocol, String identifier, String token) {}
