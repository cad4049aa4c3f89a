package io.fleetline.simulator;

/** Names shared by the simulator's modes. */
final class SimulatedFleet {

  private SimulatedFleet() {}

  /** A registered vehicle and the model that drives it. */
  record Vehicle(FleetApi.Registered registration, SimulatedVehicle model) {}
}
