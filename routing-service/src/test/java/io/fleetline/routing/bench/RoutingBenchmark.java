package io.fleetline.routing.bench;

import static org.awaitility.Awaitility.await;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Measurements;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Throughput and latency of the whole routing write path (history, latest, trips, stops, events)
 * against the real broker and PostGIS, with a simulated fleet. Not part of the normal build; run
 * with {@code -Dbenchmark=true} (see README). Prints its figures, asserts nothing about time.
 *
 * <p>Phase 1 (latency): pings produced at a fixed rate with {@code receivedAt} = send time; the
 * received-to-stored percentiles come from the service's own timer. Phase 2 (throughput): with the
 * consumer paused, a backlog is produced, then the consumer is resumed and the time to store all of
 * it is measured.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "spring.kafka.listener.auto-startup=true",
      "fleetline.routing.concurrency=${benchmark.concurrency:2}",
      "logging.level.org.apache.kafka=WARN"
    })
@EmbeddedKafka(
    partitions = 12,
    topics = {Topics.PINGS, Topics.EVENTS})
class RoutingBenchmark {

  static final int VEHICLES = Integer.getInteger("benchmark.vehicles", 10_000);
  static final int RATE = Integer.getInteger("benchmark.rate", 10_000);
  static final int LATENCY_SECONDS = Integer.getInteger("benchmark.latencySeconds", 60);
  static final int SETTLE_SECONDS = Integer.getInteger("benchmark.settleSeconds", 60);
  static final int WARM_UP_ROUNDS = Integer.getInteger("benchmark.warmUpRounds", 15);
  static final int BACKLOG_ROUNDS = Integer.getInteger("benchmark.backlogRounds", 20);

  /**
   * Adds a GiST index on the history's locations (the schema has none: history is read by vehicle
   * and time only), to measure what one would cost to keep up.
   */
  /**
   * Stops the listener for the backlog rather than pausing it: the drain then starts like a
   * restart, rebuilding every vehicle's window from the database.
   */
  static final boolean BACKLOG_RESTART = Boolean.getBoolean("benchmark.backlogRestart");

  static final boolean HISTORY_SPATIAL_INDEX = Boolean.getBoolean("benchmark.historySpatialIndex");

  /**
   * Prints where PostgreSQL spent its time in each phase, by statement; needs the test cluster
   * started with {@code -Dfleetline.test.postgresOptions="-c
   * shared_preload_libraries=pg_stat_statements"}.
   */
  static final boolean STATEMENT_STATS = Boolean.getBoolean("benchmark.statementStats");

  static final TestDatabase database = TestPostgis.newDatabase();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    database.registerIn(registry);
  }

  /** A composite registry, so that {@link #measuredFromNow} can add one that starts empty. */
  @org.springframework.boot.test.context.TestConfiguration
  static class Registry {
    @org.springframework.context.annotation.Bean
    io.micrometer.core.instrument.composite.CompositeMeterRegistry meterRegistry() {
      return new io.micrometer.core.instrument.composite.CompositeMeterRegistry(
          io.micrometer.core.instrument.Clock.SYSTEM,
          List.of(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Value("${fleetline.routing.derived.enabled:true}")
  boolean derived;

  @Autowired MeterRegistry meters;
  @Autowired KafkaListenerEndpointRegistry listeners;

  @Test
  void storedPingsPerSecondAndReceivedToStoredLatency() throws Exception {
    if (HISTORY_SPATIAL_INDEX) {
      try (var c = database.connect();
          var s = c.createStatement()) {
        s.execute("CREATE INDEX positions_location_idx ON positions USING gist (location)");
      }
    }
    Fleet fleet = new Fleet(VEHICLES, Instant.now().minus(Duration.ofHours(6)), 42);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      // Warm-up: every vehicle's first pings, so partitions exist and the fleet, which starts
      // driving all at once, has opened its first trips (12 pings in) before measuring.
      for (int i = 0; i < WARM_UP_ROUNDS * VEHICLES; i++) {
        send(producer, fleet.next(Instant.now()));
      }
      producer.flush();
      awaitStored((long) WARM_UP_ROUNDS * VEHICLES);

      // Settling: the same paced load, not measured, while the JIT compiles the hot paths of the
      // service, the broker and the producer (all in this JVM; C2 keeps a core busy for a minute).
      pace(producer, fleet, (long) RATE * SETTLE_SECONDS, new StringBuilder());
      // Only what is recorded from here on counts: a registry added to the composite now.
      MeterRegistry window = measuredFromNow();

      resetStatementStats();
      long latencyPings = (long) RATE * LATENCY_SECONDS;
      StringBuilder perSecond = new StringBuilder();
      double producedPerSecond = pace(producer, fleet, latencyPings, perSecond);
      Timer timer = window.get("fleetline.routing.received.to.stored").timer();
      Timer batches = window.get("fleetline.routing.batch.duration").timer();
      StringBuilder batchPercentiles = new StringBuilder();
      for (ValueAtPercentile p : batches.takeSnapshot().percentileValues()) {
        batchPercentiles.append(
            String.format(" p%.0f=%.0fms", p.percentile() * 100, p.value(TimeUnit.MILLISECONDS)));
      }
      System.out.printf(
          "%n[benchmark] latency phase: stored per second:%s%n[benchmark] latency phase: %d batches,"
              + " %.0f pings each on average, batch duration%s max %.0fms%n",
          perSecond,
          batches.count(),
          (double) latencyPings / batches.count(),
          batchPercentiles,
          batches.max(TimeUnit.MILLISECONDS));
      StringBuilder percentiles = new StringBuilder();
      for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
        percentiles.append(
            String.format(" p%.0f=%.0fms", p.percentile() * 100, p.value(TimeUnit.MILLISECONDS)));
      }

      printStatementStats("latency phase");
      var container = listeners.getListenerContainer("pings");
      if (BACKLOG_RESTART) {
        container.stop();
      } else {
        container.pause();
        await().atMost(Duration.ofMinutes(1)).until(container::isContainerPaused);
      }
      long backlog = (long) BACKLOG_ROUNDS * VEHICLES;
      for (long i = 0; i < backlog; i++) {
        send(producer, fleet.next(Instant.now()));
      }
      producer.flush();
      resetStatementStats();
      long beforeBacklog = stored();
      CpuTime cpuBefore = CpuTime.now();
      long drainStart = System.nanoTime();
      if (BACKLOG_RESTART) {
        container.start();
      } else {
        container.resume();
      }
      awaitStored(beforeBacklog + backlog);
      double seconds = (System.nanoTime() - drainStart) / 1e9;
      CpuTime cpu = CpuTime.now().minus(cpuBefore);
      printStatementStats("throughput phase");

      System.out.printf(
          "%n[benchmark] vehicles=%d%s%n[benchmark] latency phase: %d pings offered at %.0f/s for %ds"
              + " after %ds of settling,"
              + " received->stored%s (max %.0fms)%n[benchmark] throughput phase: backlog of %d"
              + " pings stored in %.1fs = %.0f pings/s (%s, %s)%n"
              + "[benchmark] throughput phase CPU: JVM %.0fs (consumers %.0fs) + PostgreSQL %.0fs"
              + " = %.2f CPU-ms per 1000 pings, i.e. %.0f pings/s if 2 cores were ours alone%n"
              + "[benchmark] trips=%s stops=%s events=%s%n",
          VEHICLES,
          HISTORY_SPATIAL_INDEX ? ", with a GiST index on positions.location" : "",
          latencyPings,
          producedPerSecond,
          LATENCY_SECONDS,
          SETTLE_SECONDS,
          percentiles,
          timer.max(TimeUnit.MILLISECONDS),
          backlog,
          seconds,
          backlog / seconds,
          derived ? "history + latest + trips/stops + events" : "history + latest only",
          BACKLOG_RESTART ? "after a restart" : "consumer paused and resumed",
          cpu.jvmS(),
          cpu.consumersS(),
          cpu.postgresS(),
          cpu.totalS() * 1e6 / backlog,
          2 * backlog / cpu.totalS(),
          count("trips"),
          count("stops"),
          count("vehicle_events"));
    }
  }

  /**
   * CPU time used so far by this JVM, its ping consumer threads, and the throwaway PostgreSQL
   * cluster of this run (its postmaster, reaped backends included, and live backends): on a shared
   * machine the work per ping, unlike the wall-clock rate, does not depend on what else runs.
   */
  record CpuTime(double jvmS, double consumersS, double postgresS) {

    static CpuTime now() {
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      var threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long consumers = 0;
      for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null && info.getThreadName().startsWith("pings-")) {
          consumers += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        }
      }
      return new CpuTime(os.getProcessCpuTime() / 1e9, consumers / 1e9, postgres());
    }

    CpuTime minus(CpuTime o) {
      return new CpuTime(jvmS - o.jvmS, consumersS - o.consumersS, postgresS - o.postgresS);
    }

    double totalS() {
      return jvmS + postgresS;
    }

    /** Seconds of CPU of the local test cluster; 0 when the database is not ours to see. */
    private static double postgres() {
      // The local test cluster's, or -Dbenchmark.postmasterPid=<data directory>/postmaster.pid.
      java.nio.file.Path pid =
          java.nio.file.Path.of(
              System.getProperty(
                  "benchmark.postmasterPid",
                  "target/postgis-" + ProcessHandle.current().pid() + "/postmaster.pid"));
      try {
        long postmaster = Long.parseLong(java.nio.file.Files.readAllLines(pid).get(0).trim());
        long ticks = ticks(postmaster, true);
        for (var child :
            ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
          ticks += ticks(child.pid(), false);
        }
        return ticks / 100.0;
      } catch (java.io.IOException | RuntimeException e) {
        return 0;
      }
    }

    /** utime + stime (and the reaped children's when asked) from /proc, in clock ticks. */
    private static long ticks(long pid, boolean withReaped) {
      try {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return withReaped ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
      } catch (java.io.IOException | RuntimeException e) {
        return 0;
      }
    }
  }

  /**
   * Sends {@code pings} at {@link #RATE} per second with {@code receivedAt} = send time, noting the
   * pings stored in each second, and waits until all are stored; returns the rate achieved.
   */
  private double pace(
      KafkaProducer<String, byte[]> producer, Fleet fleet, long pings, StringBuilder perSecond)
      throws InterruptedException {
    long before = stored();
    long start = System.nanoTime();
    long lastSecond = before;
    for (long i = 0; i < pings; i++) {
      if (i % RATE == 0 && i > 0) {
        long now = stored();
        perSecond.append(' ').append(now - lastSecond);
        lastSecond = now;
      }
      long due = start + i * 1_000_000_000L / RATE;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      send(producer, fleet.next(Instant.now()));
    }
    producer.flush();
    double produced = pings / ((System.nanoTime() - start) / 1e9);
    awaitStored(before + pings);
    return produced;
  }

  /**
   * A registry that sees only what the service records from now on (the service's timers cannot be
   * reset): the composite hands every existing meter a child in a registry added to it.
   */
  private MeterRegistry measuredFromNow() {
    if (!(meters instanceof io.micrometer.core.instrument.composite.CompositeMeterRegistry c)) {
      System.out.println("[benchmark] (no composite registry: figures include the settling)");
      return meters;
    }
    MeterRegistry window = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    c.add(window);
    return window;
  }

  private static void resetStatementStats() throws Exception {
    if (STATEMENT_STATS) {
      try (var c = database.connect();
          var s = c.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        s.execute("SELECT pg_stat_statements_reset()");
      }
    }
  }

  /** The statements that took the most time since the last reset, with calls and rows. */
  private static void printStatementStats(String phase) throws Exception {
    if (!STATEMENT_STATS) {
      return;
    }
    try (var c = database.connect();
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT round(total_exec_time)::int8, calls, rows,"
                    + " regexp_replace(left(query, 110), '\\s+', ' ', 'g')"
                    + " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12")) {
      System.out.printf(
          "%n[benchmark] %s, PostgreSQL time by statement (ms, calls, rows):%n", phase);
      while (rs.next()) {
        System.out.printf(
            "[benchmark]   %7d ms %6d calls %8d rows  %s%n",
            rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4));
      }
    }
    try (var c = database.connect();
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT relname, n_tup_upd, n_tup_hot_upd, n_dead_tup, autovacuum_count"
                    + " FROM pg_stat_user_tables"
                    + " WHERE relname IN ('latest_positions', 'trips', 'stops') ORDER BY 1")) {
      while (rs.next()) {
        System.out.printf(
            "[benchmark]   %s: %d updates so far, %d HOT, %d dead rows now, vacuumed %d times%n",
            rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
      }
    }
  }

  private String count(String table) throws Exception {
    try (var c = database.connect();
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private long stored() {
    return (long) meters.get("fleetline.routing.pings.stored").counter().count();
  }

  private void awaitStored(long total) {
    await()
        .atMost(Duration.ofMinutes(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> stored() >= total);
  }

  private KafkaProducer<String, byte[]> producer() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", brokers);
    config.put("key.serializer", StringSerializer.class);
    config.put("value.serializer", ByteArraySerializer.class);
    config.put("acks", "all");
    config.put("linger.ms", 10);
    config.put("batch.size", 131072);
    config.put("compression.type", "lz4");
    return new KafkaProducer<>(config);
  }

  private static void send(KafkaProducer<String, byte[]> producer, VehiclePing ping) {
    producer.send(
        new ProducerRecord<>(Topics.PINGS, ping.vehicleId().toString(), FleetlineJson.write(ping)));
  }

  /**
   * Vehicles driving around a city at 20–70 km/h with small heading changes, reporting every 10 s
   * of event time, now and then parking for 5–20 minutes with ignition off.
   */
  static final class Fleet {
    private final UUID fleetId = UUID.randomUUID();
    private final UUID[] ids;
    private final double[] lat;
    private final double[] lon;
    private final double[] heading;
    private final double[] speed;
    private final Instant[] time;
    private final Instant[] parkedUntil;
    private final Random random;
    private int cursor;

    Fleet(int vehicles, Instant start, long seed) {
      random = new Random(seed);
      ids = new UUID[vehicles];
      lat = new double[vehicles];
      lon = new double[vehicles];
      heading = new double[vehicles];
      speed = new double[vehicles];
      time = new Instant[vehicles];
      parkedUntil = new Instant[vehicles];
      for (int i = 0; i < vehicles; i++) {
        ids[i] = UUID.randomUUID();
        lat[i] = 52.4 + random.nextDouble() * 0.2;
        lon[i] = 13.2 + random.nextDouble() * 0.4;
        heading[i] = random.nextDouble() * 360;
        speed[i] = 20 + random.nextDouble() * 50;
        time[i] = start.plusMillis(random.nextInt(10_000));
        parkedUntil[i] = Instant.MIN;
      }
    }

    VehiclePing next(Instant receivedAt) {
      int i = cursor;
      cursor = (cursor + 1) % ids.length;
      time[i] = time[i].plusSeconds(10);
      boolean parked = time[i].isBefore(parkedUntil[i]);
      if (!parked && random.nextInt(90) == 0) {
        parkedUntil[i] = time[i].plusSeconds(300 + random.nextInt(900));
        parked = true;
      }
      double v = parked ? 0 : Math.max(5, Math.min(90, speed[i] + random.nextGaussian() * 5));
      if (!parked) {
        speed[i] = v;
        heading[i] = (heading[i] + random.nextGaussian() * 15 + 360) % 360;
        double stepM = v / 3.6 * 10;
        lat[i] += stepM * Math.cos(Math.toRadians(heading[i])) / 111_195;
        lon[i] +=
            stepM
                * Math.sin(Math.toRadians(heading[i]))
                / (111_195 * Math.cos(Math.toRadians(lat[i])));
      }
      return new VehiclePing(
          1,
          ids[i],
          fleetId,
          ids[i],
          "http",
          time[i],
          receivedAt,
          new Measurements(
              lat[i] + (parked ? random.nextGaussian() * 0.00005 : 0),
              lon[i] + (parked ? random.nextGaussian() * 0.00008 : 0),
              v,
              heading[i],
              40.0,
              5.0,
              null,
              !parked),
          Map.of());
    }
  }
}
