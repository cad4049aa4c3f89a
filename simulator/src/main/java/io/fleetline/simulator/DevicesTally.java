package io.fleetline.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The devices mode's score, kept from the connections' event loops: how far setting up got (devices
 * connected, devices acknowledged at least once, refused connection attempts) and, only while the
 * measured window is open, pings sent, acknowledged and failed by reason, late ticks and the
 * send-to-acknowledgement latency.
 */
final class DevicesTally {

  private volatile boolean windowOpen;
  private final LongAdder sent = new LongAdder();
  private final LongAdder acknowledged = new LongAdder();
  private final LongAdder lateTicks = new LongAdder();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final Map<Protocol, LongAdder> acknowledgedByProtocol = new ConcurrentHashMap<>();
  private final LatencyHistogram latency = new LatencyHistogram();
  private final LongAdder acknowledgedAll = new LongAdder();

  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger acknowledgedOnce = new AtomicInteger();
  private final Map<String, LongAdder> setupFailures = new ConcurrentHashMap<>();

  void openWindow() {
    windowOpen = true;
  }

  void closeWindow() {
    windowOpen = false;
  }

  void sent() {
    if (windowOpen) {
      sent.increment();
    }
  }

  void acknowledged(Protocol protocol, long latencyNanos) {
    acknowledgedAll.increment();
    if (windowOpen) {
      acknowledged.increment();
      acknowledgedByProtocol.computeIfAbsent(protocol, p -> new LongAdder()).increment();
      latency.record(latencyNanos / 1000);
    }
  }

  /** A ping that got no acknowledgement, or an answer other than "stored". */
  void failed(String reason) {
    if (windowOpen) {
      failed.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }
  }

  /** A tick that found the device's previous ping still unacknowledged, or it not connected. */
  void late() {
    if (windowOpen) {
      lateTicks.increment();
    }
  }

  /** A connection attempt or login that failed, at any time; the device tries again later. */
  void connectFailed(String reason) {
    setupFailures.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  void connectedFirstTime() {
    connected.incrementAndGet();
  }

  void acknowledgedFirstTime() {
    acknowledgedOnce.incrementAndGet();
  }

  int connected() {
    return connected.get();
  }

  int acknowledgedOnce() {
    return acknowledgedOnce.get();
  }

  long acknowledgedSoFar() {
    return acknowledgedAll.sum();
  }

  /** The window's figures, as the summary carries them. */
  void addTo(Map<String, Object> summary, long startMillis, long endMillis, long cpuNanos) {
    long acks = acknowledged.sum();
    summary.put("windowStart", startMillis);
    summary.put("windowEnd", endMillis);
    summary.put("windowS", (endMillis - startMillis) / 1000.0);
    summary.put("sent", sent.sum());
    summary.put("acknowledged", acks);
    summary.put("failed", counts(failed));
    summary.put("lateTicks", lateTicks.sum());
    summary.put("acknowledgedPerSecond", perSecond(acks, startMillis, endMillis));
    Map<String, Long> byProtocol = new TreeMap<>();
    acknowledgedByProtocol.forEach((p, n) -> byProtocol.put(p.wireName(), n.sum()));
    summary.put("acknowledgedByProtocol", byProtocol);
    summary.put("ackLatencyP50Ms", millis(latency.percentileMicros(0.50)));
    summary.put("ackLatencyP95Ms", millis(latency.percentileMicros(0.95)));
    summary.put("ackLatencyP99Ms", millis(latency.percentileMicros(0.99)));
    summary.put("ackLatencyMaxMs", millis(latency.maxMicros()));
    summary.put("generatorCpuSeconds", Math.round(cpuNanos / 1e6) / 1000.0);
    summary.put("generatorCpuMicrosPerAck", microsPer(cpuNanos, acks));
    summary.put("devicesConnected", connected.get());
    summary.put("devicesAcknowledged", acknowledgedOnce.get());
    summary.put("connectFailures", counts(setupFailures));
  }

  /** Whole events per second of the window, one decimal. */
  static double perSecond(long events, long startMillis, long endMillis) {
    if (endMillis <= startMillis) {
      return 0;
    }
    return Math.round(events * 10_000.0 / (endMillis - startMillis)) / 10.0;
  }

  /** CPU microseconds per event, one decimal; 0 without events. */
  static double microsPer(long cpuNanos, long events) {
    return events == 0 ? 0 : Math.round(cpuNanos / 100.0 / events) / 10.0;
  }

  private static double millis(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  private static Map<String, Long> counts(Map<String, LongAdder> adders) {
    Map<String, Long> counts = new TreeMap<>();
    adders.forEach((reason, n) -> counts.put(reason, n.sum()));
    return counts;
  }
}
