package io.fleetline.simulator;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Devices as they really report, one ping per message with event time now, every connection on one
 * or two event-loop threads so that ten thousand devices cost little. Device-realistic: each device
 * on its own connection (OsmAnd, HTTP JSON, MQTT, Teltonika) pings every {@code --interval}, phases
 * spread over the interval. Closed loop ({@code --connections C}): the OsmAnd or HTTP JSON devices
 * take turns on C kept-alive connections, each sending its next request as soon as the last is
 * answered. Connections open gently ({@value #CONNECTIONS_PER_SECOND} a second); once every device
 * has been acknowledged once and {@code --warmup} has passed, the window of {@code --duration} is
 * measured.
 */
final class DevicesMode {

  static final int CONNECTIONS_PER_SECOND = 500;
  static final int EVENT_LOOP_THREADS = 2;

  /** How long after the last connection was opened devices may take to be acknowledged once. */
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);

  private final Fleet fleet;
  private final WindowFile window;

  DevicesMode(Fleet fleet, WindowFile window) {
    this.fleet = fleet;
    this.window = window;
  }

  Map<String, Object> run() throws Exception {
    SimulatorOptions options = fleet.options();
    List<SimVehicle> vehicles = fleet.vehicles();
    boolean closedLoop = options.connections() > 0;
    DevicesTally tally = new DevicesTally();
    AtomicBoolean stopping = new AtomicBoolean();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, ClientTransport.ioHandlerFactory());
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(ClientTransport.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    DeviceLink.Run run =
        new DeviceLink.Run(
            tally,
            bootstrap,
            closedLoop ? 0 : options.interval().toNanos(),
            System.nanoTime(),
            stopping);
    List<DeviceLink> links = closedLoop ? closedLoop(run, group) : oneEach(run, group);
    System.out.printf(
        "Devices: %d vehicles on %d connections (%s), %s%n",
        vehicles.size(),
        links.size(),
        ClientTransport.name(),
        closedLoop
            ? "each sending its next request as soon as the last is answered"
            : "each pinging every " + options.interval().toMillis() / 1000.0 + " s");
    long windowStart = 0;
    long windowEnd = 0;
    long cpuStart = 0;
    long cpuEnd = 0;
    try {
      open(links);
      settle(tally, vehicles.size(), links.size());
      System.out.printf("Warming up for %d s%n", options.warmup().toSeconds());
      Thread.sleep(options.warmup().toMillis()); // real time: the platform settles under load
      cpuStart = cpuNanos();
      windowStart = System.currentTimeMillis();
      tally.openWindow();
      window.opened(windowStart);
      System.out.printf("Window open for %d s%n", options.duration().toSeconds());
      measure(tally, options.duration());
    } catch (InterruptedException e) {
      System.err.println("interrupted: closing the window");
    } finally {
      if (windowStart > 0) {
        tally.closeWindow();
        windowEnd = System.currentTimeMillis();
        cpuEnd = cpuNanos();
        window.closed(windowEnd);
      }
      stopping.set(true);
      links.forEach(DeviceLink::stop);
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", "devices");
    summary.put("loop", closedLoop ? "closed" : "interval");
    summary.put("vehicles", vehicles.size());
    summary.put("connections", links.size());
    if (!closedLoop) {
      summary.put("intervalS", options.interval().toMillis() / 1000.0);
    }
    summary.put("warmupS", options.warmup().toSeconds());
    tally.addTo(summary, windowStart, windowEnd, cpuEnd - cpuStart);
    return summary;
  }

  /** The closed loop: C connections, device i on connection i mod C. */
  private List<DeviceLink> closedLoop(DeviceLink.Run run, EventLoopGroup group) {
    SimulatorOptions options = fleet.options();
    List<SimVehicle> vehicles = fleet.vehicles();
    List<DeviceLink> links = new ArrayList<>();
    for (List<Integer> share : DeviceSchedule.roundRobin(vehicles.size(), options.connections())) {
      List<SimVehicle> mine = share.stream().map(vehicles::get).toList();
      EventLoop loop = group.next();
      links.add(
          mine.get(0).device().protocol() == Protocol.OSMAND
              ? HttpDeviceLink.osmand(run, loop, URI.create(options.osmandUrl()), mine, 0)
              : HttpDeviceLink.json(run, loop, URI.create(options.ingestUrl()), mine, 0));
    }
    return links;
  }

  /** Device-realistic: one connection per device, phases spread over the interval. */
  private List<DeviceLink> oneEach(DeviceLink.Run run, EventLoopGroup group) {
    SimulatorOptions options = fleet.options();
    List<SimVehicle> vehicles = fleet.vehicles();
    long interval = options.interval().toNanos();
    InetSocketAddress mqtt =
        options.mqttUrl() == null ? null : MqttDeviceLink.address(options.mqttUrl());
    InetSocketAddress teltonika =
        options.teltonikaAddr() == null
            ? null
            : TeltonikaDeviceLink.address(options.teltonikaAddr());
    List<DeviceLink> links = new ArrayList<>(vehicles.size());
    for (SimVehicle v : vehicles) {
      long phase = DeviceSchedule.phaseNanos(v.index(), vehicles.size(), interval);
      EventLoop loop = group.next();
      links.add(
          switch (v.device().protocol()) {
            case OSMAND ->
                HttpDeviceLink.osmand(
                    run, loop, URI.create(options.osmandUrl()), List.of(v), phase);
            case HTTP ->
                HttpDeviceLink.json(run, loop, URI.create(options.ingestUrl()), List.of(v), phase);
            case MQTT -> new MqttDeviceLink(run, loop, mqtt, v, phase, options.runId());
            case TELTONIKA -> new TeltonikaDeviceLink(run, loop, teltonika, v, phase);
            case COAP ->
                throw new IllegalArgumentException(
                    "the devices mode has no CoAP devices; use the load or demo mode for coap");
          });
    }
    return links;
  }

  /**
   * Opens the connections at {@value #CONNECTIONS_PER_SECOND} a second, so no backlog overflows.
   */
  private static void open(List<DeviceLink> links) throws InterruptedException {
    long started = System.nanoTime();
    for (int i = 0; i < links.size(); i++) {
      long due = started + i * 1_000_000_000L / CONNECTIONS_PER_SECOND;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      links.get(i).start();
    }
  }

  /** Waits until every device has been acknowledged once, or gives up after a while. */
  private static void settle(DevicesTally tally, int devices, int connections)
      throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    long nextReport = 0;
    while (tally.acknowledgedOnce() < devices) {
      long now = System.nanoTime();
      if (now >= deadline) {
        System.err.printf(
            "warning: %d of %d devices not acknowledged within %d s; measuring anyway%n",
            devices - tally.acknowledgedOnce(), devices, SETTLE_TIMEOUT.toSeconds());
        return;
      }
      if (now >= nextReport) {
        System.out.printf(
            "connected %d/%d, devices acknowledged %d/%d%n",
            tally.connected(), connections, tally.acknowledgedOnce(), devices);
        nextReport = now + 5_000_000_000L;
      }
      Thread.sleep(100); // polling the event loops' counters from the main thread
    }
  }

  private static void measure(DevicesTally tally, Duration duration) throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    long last = tally.acknowledgedSoFar();
    for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
      long step = Math.min(5_000_000_000L, left);
      Thread.sleep(step / 1_000_000, (int) (step % 1_000_000)); // real time: the window's length
      long now = tally.acknowledgedSoFar();
      System.out.printf("acknowledged %,d pings/s%n", Math.round((now - last) / (step / 1e9)));
      last = now;
    }
  }

  /** The simulator process's CPU time so far, all threads, in nanoseconds. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
