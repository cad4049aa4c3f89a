package io.fleetline.analytics.bench;

import static org.awaitility.Awaitility.await;

import io.fleetline.analytics.AnalyticsProperties;
import io.fleetline.common.Measurements;
import io.fleetline.common.PingCodec;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Throughput, CPU per ping, state size and the timer's cost of the analytics stream as it runs in
 * production: the real broker, exactly-once v2, RocksDB stores with changelog topics, a simulated
 * fleet. Not part of the normal build; run with {@code -Dbenchmark=true} (see docs/benchmarks.md).
 * Prints its figures, asserts nothing about time.
 *
 * <p>A backlog of pings is produced while the stream is stopped; the stream is started and the time
 * until the last of them is processed and committed is measured, with the CPU spent. Then it runs
 * on without input for a while, so that only its timer works: held pings are applied, changed
 * summaries published. Last the stores are measured: their content, their changelog topics on the
 * broker, and the RocksDB directories after a clean stop.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      // The stream alone: its findings are not stored in PostgreSQL during the run.
      "spring.kafka.listener.auto-startup=false",
      "fleetline.analytics.standby-replicas=0",
      "fleetline.analytics.stream-threads=${benchmark.streamThreads:1}",
      // The instance stopped before the backlog leaves no member behind for longer than this.
      "spring.kafka.streams.properties.session.timeout.ms=10000",
      "logging.level.org.apache.kafka=WARN"
    })
@EmbeddedKafka(partitions = 12, topics = Topics.PINGS)
class AnalyticsBenchmark {

  static final int VEHICLES = Integer.getInteger("benchmark.vehicles", 10_000);
  static final int BACKLOG_ROUNDS = Integer.getInteger("benchmark.backlogRounds", 40);
  static final int INTERVAL_S = Integer.getInteger("benchmark.intervalSeconds", 5);
  static final int QUIET_SECONDS = Integer.getInteger("benchmark.quietSeconds", 60);

  static final TestDatabase database = TestPostgis.newDatabase();
  static final Path stateDir = tempDirectory();

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    database.registerIn(registry);
    registry.add("fleetline.analytics.state-dir", stateDir::toString);
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Autowired StreamsBuilderFactoryBean streams;
  @Autowired AnalyticsProperties properties;
  @Autowired MeterRegistry meters;

  @Test
  void pingsPerSecondPerCoreStateSizeAndTimerCost() throws Exception {
    // Started with the context (its changelog topics exist now); stopped while the backlog piles
    // up, as after an outage.
    streams.stop();
    Fleet fleet = new Fleet(VEHICLES, INTERVAL_S, 42);
    long backlog = (long) VEHICLES * BACKLOG_ROUNDS;
    Instant start = Instant.now().minusSeconds((long) BACKLOG_ROUNDS * INTERVAL_S + 60);
    long produceStart = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int round = 0; round < BACKLOG_ROUNDS; round++) {
        for (int i = 0; i < VEHICLES; i++) {
          VehiclePing ping = fleet.next(i, start.plusSeconds((long) round * INTERVAL_S));
          producer.send(
              new ProducerRecord<>(
                  Topics.PINGS, ping.vehicleId().toString(), PingCodec.write(ping)));
        }
      }
      producer.flush();
    }
    double produceS = (System.nanoTime() - produceStart) / 1e9;

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
      Map<TopicPartition, Long> ends = endOffsets(admin, Topics.PINGS);
      Cpu cpuBefore = Cpu.now();
      long startNs = System.nanoTime();
      streams.start();
      KafkaStreams running = streams.getKafkaStreams();
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> running.state() == KafkaStreams.State.RUNNING);
      long runningNs = System.nanoTime();
      double rebalanceS = (runningNs - startNs) / 1e9;
      Punctuations punctuationsBefore = Punctuations.of(running, meters);
      await()
          .atMost(Duration.ofMinutes(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> committed(admin).equals(ends));
      long drainedNs = System.nanoTime();
      double drainS = (drainedNs - startNs) / 1e9;
      double processS = (drainedNs - runningNs) / 1e9;
      Cpu drainCpu = Cpu.now().minus(cpuBefore);
      Punctuations drainPunctuations = Punctuations.of(running, meters).since(punctuationsBefore);

      // A fixed measurement window with no input: only the timer works.
      Cpu quietBefore = Cpu.now();
      Punctuations quietStart = Punctuations.of(running, meters);
      TimeUnit.SECONDS.sleep(QUIET_SECONDS);
      Cpu quietCpu = Cpu.now().minus(quietBefore);
      Punctuations quietPunctuations = Punctuations.of(running, meters).since(quietStart);

      StoreContent vehicleState = StoreContent.of(running, "vehicle-state");
      StoreContent daySummaries = StoreContent.of(running, "day-summaries");
      Map<String, Long> changelogBytes = changelogBytes(admin);
      String app = properties.applicationId();
      long vehicleRecords = sum(endOffsets(admin, app + "-vehicle-state-changelog"));
      long dayRecords = sum(endOffsets(admin, app + "-day-summaries-changelog"));
      streams.stop();
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> running.state() == KafkaStreams.State.NOT_RUNNING);

      System.out.printf(
          "%n[benchmark] vehicles=%d, backlog of %d pings (%d per vehicle, one every %ds of event"
              + " time), produced in %.1fs; %d stream thread(s), exactly_once_v2, store consumer"
              + " off%n"
              + "[benchmark] drain: %.1fs from start, %.1fs of it to RUNNING; %.1fs from RUNNING"
              + " = %.0f pings/s%n"
              + "[benchmark] drain CPU: JVM %.1fs (stream threads %.1fs, broker, producer and the"
              + " rest %.1fs) = %.1f CPU-us per ping in the stream threads, %.0f pings/s per core"
              + " of stream thread; %.1f CPU-us per ping for the whole JVM%n"
              + "[benchmark] drain timer: %s%n"
              + "[benchmark] quiet %ds: stream threads %.2f CPU-s (%.1f%% of a core), JVM %.2f"
              + " CPU-s; timer: %s%n"
              + "[benchmark] store vehicle-state: %d keys, %.1f MB of keys and values (%.0f bytes"
              + " per vehicle); changelog %d records, %.1f MB on the broker's disk%n"
              + "[benchmark] store day-summaries: %d keys, %.1f MB of keys and values; changelog %d"
              + " records, %.1f MB on the broker's disk%n"
              + "[benchmark] RocksDB after a clean stop: vehicle-state %.1f MB, day-summaries %.1f"
              + " MB, whole state directory %.1f MB%n",
          VEHICLES,
          backlog,
          BACKLOG_ROUNDS,
          INTERVAL_S,
          produceS,
          properties.streamThreads(),
          drainS,
          rebalanceS,
          processS,
          backlog / processS,
          drainCpu.jvmS(),
          drainCpu.streamThreadsS(),
          drainCpu.jvmS() - drainCpu.streamThreadsS(),
          drainCpu.streamThreadsS() * 1e6 / backlog,
          backlog / drainCpu.streamThreadsS(),
          drainCpu.jvmS() * 1e6 / backlog,
          drainPunctuations,
          QUIET_SECONDS,
          quietCpu.streamThreadsS(),
          quietCpu.streamThreadsS() * 100 / QUIET_SECONDS,
          quietCpu.jvmS(),
          quietPunctuations,
          vehicleState.keys(),
          vehicleState.bytes() / 1e6,
          (double) vehicleState.bytes() / Math.max(1, vehicleState.keys()),
          vehicleRecords,
          changelogBytes.getOrDefault(app + "-vehicle-state-changelog", 0L) / 1e6,
          daySummaries.keys(),
          daySummaries.bytes() / 1e6,
          dayRecords,
          changelogBytes.getOrDefault(app + "-day-summaries-changelog", 0L) / 1e6,
          directoryBytes("vehicle-state") / 1e6,
          directoryBytes("day-summaries") / 1e6,
          directoryBytes(null) / 1e6);
    }
  }

  /** The stream's committed offsets on the pings topic. */
  private Map<TopicPartition, Long> committed(Admin admin) throws Exception {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(properties.applicationId())
            .partitionsToOffsetAndMetadata()
            .get();
    committed.forEach(
        (tp, o) -> {
          if (tp.topic().equals(Topics.PINGS) && o != null) {
            offsets.put(tp, o.offset());
          }
        });
    return offsets;
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Bytes of each topic's partitions in the broker's log directories (not compacted yet). */
  private static Map<String, Long> changelogBytes(Admin admin) throws Exception {
    List<Integer> brokerIds = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
    Map<String, Long> bytes = new HashMap<>();
    for (Map<String, LogDirDescription> dirs :
        admin.describeLogDirs(brokerIds).allDescriptions().get().values()) {
      for (LogDirDescription dir : dirs.values()) {
        dir.replicaInfos().forEach((tp, info) -> bytes.merge(tp.topic(), info.size(), Long::sum));
      }
    }
    return bytes;
  }

  /** Bytes of the state directory's files, of one store's RocksDB directories when named. */
  private static long directoryBytes(String store) throws IOException {
    try (Stream<Path> files = Files.walk(stateDir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> store == null || f.toString().contains("/rocksdb/" + store + "/"))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  private static Path tempDirectory() {
    try {
      return Files.createTempDirectory("analytics-bench-state");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** CPU seconds used so far by this JVM and by its stream threads. */
  record Cpu(double jvmS, double streamThreadsS) {

    static Cpu now() {
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      var threads = ManagementFactory.getThreadMXBean();
      long stream = 0;
      for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null && info.getThreadName().contains("-StreamThread-")) {
          stream += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        }
      }
      return new Cpu(os.getProcessCpuTime() / 1e9, stream / 1e9);
    }

    Cpu minus(Cpu o) {
      return new Cpu(jvmS - o.jvmS, streamThreadsS - o.streamThreadsS);
    }
  }

  /**
   * The timer's work so far: Kafka Streams' own count of punctuations (all threads) and its
   * windowed latency (the last minute), and, where the service records them, its own timer's total
   * and the states its punctuations read.
   */
  record Punctuations(double count, double avgMs, double maxMs, double timerMs, double statesRead) {

    static Punctuations of(KafkaStreams streams, MeterRegistry meters) {
      double count = 0;
      double avgMs = 0;
      double maxMs = 0;
      for (Map.Entry<MetricName, ? extends Metric> m : streams.metrics().entrySet()) {
        if (m.getKey().group().equals("stream-thread-metrics")
            && m.getValue().metricValue() instanceof Number n
            && !Double.isNaN(n.doubleValue())) {
          switch (m.getKey().name()) {
            case "punctuate-total" -> count += n.doubleValue();
            case "punctuate-latency-avg" -> avgMs = Math.max(avgMs, n.doubleValue());
            case "punctuate-latency-max" -> maxMs = Math.max(maxMs, n.doubleValue());
            default -> {}
          }
        }
      }
      Timer timer = meters.find("fleetline.analytics.punctuation").timer();
      double statesRead =
          meters.find("fleetline.analytics.punctuation.reads").counters().stream()
              .mapToDouble(Counter::count)
              .sum();
      return new Punctuations(
          count,
          avgMs,
          maxMs,
          timer == null ? Double.NaN : timer.totalTime(TimeUnit.MILLISECONDS),
          statesRead);
    }

    /** The counts and totals since {@code o}; the windowed latencies as they are now. */
    Punctuations since(Punctuations o) {
      return new Punctuations(
          count - o.count, avgMs, maxMs, timerMs - o.timerMs, statesRead - o.statesRead);
    }

    @Override
    public String toString() {
      return String.format(
          "%.0f punctuations, latency avg %.1f ms max %.1f ms over the last minute (Streams);"
              + " service timer %.0f ms in all, %.0f states read (%.0f per punctuation)",
          count, avgMs, maxMs, timerMs, statesRead, statesRead / Math.max(1, count));
    }
  }

  /** Keys and bytes (keys and values) of a store's content, across the instance's tasks. */
  record StoreContent(long keys, long bytes) {

    static StoreContent of(KafkaStreams streams, String store) {
      ReadOnlyKeyValueStore<String, byte[]> view =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  store, QueryableStoreTypes.<String, byte[]>keyValueStore()));
      long keys = 0;
      long bytes = 0;
      try (KeyValueIterator<String, byte[]> all = view.all()) {
        while (all.hasNext()) {
          var entry = all.next();
          keys++;
          bytes += entry.key.getBytes(StandardCharsets.UTF_8).length + entry.value.length;
        }
      }
      return new StoreContent(keys, bytes);
    }
  }

  /**
   * Vehicles reporting every few seconds of event time: driving at 20–90 km/h with small heading
   * changes, now and then parking with ignition off (2–20 minutes, with GPS jitter) or standing
   * with the engine running (1–8 minutes).
   */
  static final class Fleet {

    private enum Mode {
      DRIVING,
      PARKED,
      IDLING
    }

    private final UUID fleetId = UUID.randomUUID();
    private final int intervalS;
    private final UUID[] ids;
    private final double[] lat;
    private final double[] lon;
    private final double[] heading;
    private final double[] speed;
    private final Mode[] mode;
    private final int[] remainingPings;
    private final long[] offsetMs;
    private final Random random;

    Fleet(int vehicles, int intervalS, long seed) {
      this.intervalS = intervalS;
      random = new Random(seed);
      ids = new UUID[vehicles];
      lat = new double[vehicles];
      lon = new double[vehicles];
      heading = new double[vehicles];
      speed = new double[vehicles];
      mode = new Mode[vehicles];
      remainingPings = new int[vehicles];
      offsetMs = new long[vehicles];
      for (int i = 0; i < vehicles; i++) {
        ids[i] = new UUID(random.nextLong(), random.nextLong());
        lat[i] = 52.4 + random.nextDouble() * 0.2;
        lon[i] = 13.2 + random.nextDouble() * 0.4;
        heading[i] = random.nextDouble() * 360;
        speed[i] = 20 + random.nextDouble() * 50;
        double r = random.nextDouble();
        mode[i] = r < 0.6 ? Mode.DRIVING : r < 0.9 ? Mode.PARKED : Mode.IDLING;
        remainingPings[i] = stay(mode[i]);
        offsetMs[i] = random.nextInt(intervalS * 1000);
      }
    }

    private int stay(Mode m) {
      int seconds =
          switch (m) {
            case DRIVING -> 120 + random.nextInt(1200);
            case PARKED -> 120 + random.nextInt(1080);
            case IDLING -> 60 + random.nextInt(420);
          };
      return Math.max(1, seconds / intervalS);
    }

    /** Vehicle {@code i}'s ping of the round that starts at {@code round}. */
    VehiclePing next(int i, Instant round) {
      if (--remainingPings[i] <= 0) {
        mode[i] =
            mode[i] != Mode.DRIVING
                ? Mode.DRIVING
                : random.nextInt(10) < 7 ? Mode.PARKED : Mode.IDLING;
        remainingPings[i] = stay(mode[i]);
      }
      Instant at = round.plusMillis(offsetMs[i]);
      double v;
      Boolean ignition;
      double jitter;
      if (mode[i] == Mode.DRIVING) {
        v = Math.max(5, Math.min(90, speed[i] + random.nextGaussian() * 3));
        speed[i] = v;
        heading[i] = (heading[i] + random.nextGaussian() * 5 + 360) % 360;
        double stepM = v / 3.6 * intervalS;
        lat[i] += stepM * Math.cos(Math.toRadians(heading[i])) / 111_195;
        lon[i] +=
            stepM
                * Math.sin(Math.toRadians(heading[i]))
                / (111_195 * Math.cos(Math.toRadians(lat[i])));
        ignition = true;
        jitter = 0;
      } else {
        v = mode[i] == Mode.IDLING ? random.nextDouble() * 2 : 0;
        ignition = mode[i] == Mode.IDLING;
        jitter = 0.00003;
      }
      return new VehiclePing(
          VehiclePing.CURRENT_VERSION,
          ids[i],
          fleetId,
          ids[i],
          "http",
          at,
          at.plusSeconds(1),
          new Measurements(
              lat[i] + random.nextGaussian() * jitter,
              lon[i] + random.nextGaussian() * jitter,
              v,
              heading[i],
              40.0,
              8.0,
              null,
              ignition),
          Map.of());
    }
  }
}
