package io.fleetline.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The registered, driving fleet of a run and the uplinks its devices send through. */
final class Fleet {

  private final List<SimVehicle> vehicles;
  private final Map<Protocol, Uplink> uplinks;
  private final RunRecorder recorder;
  private final SimulatorOptions options;
  private final BooleanSupplier finishing;
  private final AtomicLong nextSlotNanos = new AtomicLong(System.nanoTime());

  Fleet(
      List<SimVehicle> vehicles,
      Map<Protocol, Uplink> uplinks,
      RunRecorder recorder,
      SimulatorOptions options,
      BooleanSupplier finishing) {
    this.vehicles = vehicles;
    this.uplinks = uplinks;
    this.recorder = recorder;
    this.options = options;
    this.finishing = finishing;
  }

  List<SimVehicle> vehicles() {
    return vehicles;
  }

  RunRecorder recorder() {
    return recorder;
  }

  SimulatorOptions options() {
    return options;
  }

  /**
   * Whether the run was asked to finish early: the modes start no upload after it, and those under
   * way end as usual, so that the truth holds every ping sent.
   */
  boolean finishing() {
    return finishing.getAsBoolean();
  }

  /** Sends one vehicle's pings through its protocol and records what became of them. */
  void deliver(SimVehicle vehicle, List<Outgoing> items) throws InterruptedException {
    long started = System.nanoTime();
    List<Outcome> outcomes = uplinks.get(vehicle.device().protocol()).send(vehicle.device(), items);
    recorder.upload(vehicle, items, outcomes, (System.nanoTime() - started) / 1000);
  }

  /**
   * Waits for this many pings' share of the target rate (a token bucket over the whole fleet);
   * returns at once when unpaced.
   */
  void pace(int pings) {
    if (options.ratePerSecond() <= 0) {
      return;
    }
    long slot = nextSlotNanos.getAndAdd((long) (pings * 1e9 / options.ratePerSecond()));
    long wait = slot - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  void restartPacing() {
    nextSlotNanos.set(System.nanoTime());
  }

  /** A task run by each of {@code workers} threads with the vehicles it owns. */
  @FunctionalInterface
  interface Worker {
    void drive(List<SimVehicle> mine) throws Exception;
  }

  /**
   * Runs {@code workers} threads, vehicle i belonging to thread i mod workers, until all finish; an
   * interrupt of the caller stops them.
   */
  void runWorkers(int workers, Worker worker) throws Exception {
    int n = Math.max(1, Math.min(workers, vehicles.size()));
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < n; w++) {
        List<SimVehicle> mine = new ArrayList<>();
        for (int i = w; i < vehicles.size(); i += n) {
          mine.add(vehicles.get(i));
        }
        running.add(
            pool.submit(
                () -> {
                  worker.drive(mine);
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      // Ctrl-C, or the caller of Simulation.run: stop driving and report what was done.
      System.err.println("interrupted: stopping the run");
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }
}
