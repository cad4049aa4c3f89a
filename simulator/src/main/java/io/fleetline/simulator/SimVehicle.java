package io.fleetline.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A registered vehicle in the run: its device, the motion model that drives it, and what makes its
 * readings noisy or, in chaos, invalid. Not thread-safe: one thread at a time drives a vehicle.
 */
final class SimVehicle {

  private final int index;
  private final Device device;
  private final VehicleMotion motion;
  private final RandomGenerator gps;
  private final RandomGenerator chaos;
  private final double noiseM;
  private final double jumpRatio;
  private final double invalidRatio;
  private final List<InvalidKind> kinds;
  private int invalidSent;

  SimVehicle(
      int index,
      Device device,
      VehicleMotion motion,
      RandomGenerator gps,
      RandomGenerator chaos,
      SimulatorOptions options) {
    this.index = index;
    this.device = device;
    this.motion = motion;
    this.gps = gps;
    this.chaos = chaos;
    this.noiseM = options.gpsNoiseM();
    this.jumpRatio = options.gpsJumpRatio();
    this.invalidRatio = options.invalidRatio();
    this.kinds = InvalidKind.kindsFor(device.protocol());
  }

  /**
   * Drives on for {@code step} and returns the tracker's next ping: a valid reading or, with the
   * run's invalid ratio, an invalid one, cycling through the kinds the protocol can carry.
   */
  Outgoing next(Duration step, Instant wallClock) {
    motion.advance(step);
    Reading reading = motion.reading(gps, noiseM, jumpRatio);
    if (invalidRatio > 0 && chaos.nextDouble() < invalidRatio) {
      InvalidKind kind = kinds.get((index + invalidSent++) % kinds.size());
      return new Outgoing(kind.breakReading(reading, wallClock), kind);
    }
    return Outgoing.valid(reading);
  }

  int index() {
    return index;
  }

  Device device() {
    return device;
  }

  VehicleMotion motion() {
    return motion;
  }
}
