package io.fleetline.ingest.mqtt;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.ingest.registry.DeviceRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the messages of MQTT devices and gateways that ingest's registry does not know yet. The
 * broker and each ingest instance learn of a new device on their own, so a device or gateway may
 * publish a moment before the registry has its registration: its messages wait, in arrival order,
 * until the registry knows the device or their hold ends, and are then released to be judged as
 * usual (a device still unknown is rejected then). A device's later messages queue behind its held
 * ones, so none overtakes another.
 *
 * <p>Messages are released on one thread only, the hold's own, which re-checks them on a timer and
 * soon after {@link #recheckSoon} (when the registry changed). At most {@code maxHeld} messages are
 * held before the device held longest gives up its oldest early, so that identifiers the registry
 * will never know cannot take the whole in-flight bound from devices it knows.
 */
final class UnknownDeviceHold {

  private static final Logger log = LoggerFactory.getLogger(UnknownDeviceHold.class);

  private final DeviceRegistry registry;
  private final long holdNanos;
  private final int maxHeld;
  private final Predicate<MqttArrival> letGo;
  private final Consumer<MqttArrival> release;
  private final LongSupplier nanoTime;
  // By device, in the order their first held message arrived; a queue stays while it is released.
  private final Map<DeviceKey, ArrayDeque<Held>> byDevice = new LinkedHashMap<>();
  private final AtomicBoolean recheckQueued = new AtomicBoolean();
  private volatile int held;
  private volatile ScheduledExecutorService timer;

  private record Held(MqttArrival arrival, long heldUntilNanos) {}

  /**
   * @param letGo messages released at once whatever their device, e.g. those of a lost connection
   * @param release judges a released message; runs on the hold's thread
   */
  UnknownDeviceHold(
      DeviceRegistry registry,
      Duration hold,
      int maxHeld,
      Predicate<MqttArrival> letGo,
      Consumer<MqttArrival> release,
      LongSupplier nanoTime) {
    this.registry = registry;
    this.holdNanos = hold.toNanos();
    this.maxHeld = Math.max(1, maxHeld);
    this.letGo = letGo;
    this.release = release;
    this.nanoTime = nanoTime;
  }

  /** Starts re-checking, at least every tenth of the hold (between 50 ms and 500 ms). */
  void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mqtt-hold"));
    long tickMs = Math.max(50, Math.min(500, holdNanos / 10_000_000));
    timer.scheduleWithFixedDelay(this::recheckSafely, tickMs, tickMs, TimeUnit.MILLISECONDS);
  }

  /** Stops re-checking and forgets every held message, unacknowledged; says how many there were. */
  int stop() throws InterruptedException {
    ScheduledExecutorService current = timer;
    if (current != null) {
      current.shutdownNow();
      current.awaitTermination(5, TimeUnit.SECONDS);
    }
    synchronized (this) {
      int cleared = held;
      byDevice.clear();
      held = 0;
      return cleared;
    }
  }

  /** Queues one re-check on the hold's thread; one already queued covers later calls. */
  void recheckSoon() {
    ScheduledExecutorService current = timer;
    if (current == null || held == 0 || !recheckQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      current.execute(
          () -> {
            recheckQueued.set(false);
            recheckSafely();
          });
    } catch (RejectedExecutionException e) {
      recheckQueued.set(false); // stopped
    }
  }

  private void recheckSafely() {
    try {
      recheck();
    } catch (Throwable e) {
      // Thrown out of the timer's task, any failure, an error such as a stack overflow included,
      // would end the re-checks for good and leave every held message on its permit.
      log.error("Re-checking held MQTT messages failed", e);
    }
  }

  /**
   * Holds the message if its device is unknown to the loaded registry, or has messages held; false
   * when it may be judged now.
   */
  synchronized boolean offer(MqttArrival arrival) {
    if (holdNanos <= 0 || arrival.identifier() == null) {
      return false;
    }
    // The broker may admit a new gateway before this instance's registry knows it, like a device.
    DeviceKey key = key(arrival);
    ArrayDeque<Held> queue = byDevice.get(key);
    if (queue == null) {
      if (!registry.isLoaded() || known(key)) {
        return false;
      }
      queue = new ArrayDeque<>();
      byDevice.put(key, queue);
    }
    queue.add(new Held(arrival, nanoTime.getAsLong() + holdNanos));
    held++;
    return true;
  }

  /** How many messages are held now. */
  int held() {
    return held;
  }

  boolean overCapacity() {
    return held > maxHeld;
  }

  /**
   * Releases, each device's in order, the messages of devices the registry knows now, those whose
   * hold has ended or that are let go, and the oldest beyond the bound. On the hold's thread (or a
   * test's), never on two at once.
   */
  void recheck() {
    List<DeviceKey> devices;
    synchronized (this) {
      if (byDevice.isEmpty()) {
        return;
      }
      devices = new ArrayList<>(byDevice.keySet());
    }
    devices.forEach(this::releaseDue);
  }

  private void releaseDue(DeviceKey key) {
    while (true) {
      Held next;
      synchronized (this) {
        ArrayDeque<Held> queue = byDevice.get(key);
        if (queue == null) {
          return;
        }
        if (queue.isEmpty()) {
          // Removed only now that its last message was judged: a later one, had it arrived
          // meanwhile, would have queued behind it instead of overtaking it.
          byDevice.remove(key);
          return;
        }
        next = queue.peek();
        if (!mayGo(key, next)) {
          return;
        }
        queue.poll();
        held--;
      }
      release.accept(next.arrival());
    }
  }

  private boolean mayGo(DeviceKey key, Held next) {
    return known(key)
        || nanoTime.getAsLong() - next.heldUntilNanos() >= 0
        || letGo.test(next.arrival())
        || (overCapacity() && byDevice.keySet().iterator().next().equals(key));
  }

  private static DeviceKey key(MqttArrival arrival) {
    return new DeviceKey(
        arrival.gateway() ? DeviceProtocol.GATEWAY : DeviceProtocol.MQTT, arrival.identifier());
  }

  private boolean known(DeviceKey key) {
    return registry.find(key).isPresent();
  }
}
