package io.fleetline.ingest.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time spent during a load run by ingest (this JVM minus the load generator's threads), the
 * load generator (threads named {@code load-*} and the HTTP client's own) and the child processes
 * (the Kafka broker). Per ping these figures do not depend on what else the machine is doing,
 * unlike pings per second on a shared 2-core box.
 */
final class CpuMeter {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private volatile Snapshot start;

  record Usage(Duration wall, long ingestNanos, long generatorNanos, long brokerNanos) {

    void print(long pings) {
      double perPing = pings == 0 ? 0 : 1.0 / (1000.0 * pings);
      double total = (ingestNanos + generatorNanos + brokerNanos) * perPing;
      System.out.printf(
          Locale.ROOT,
          "  CPU over %.1f s: ingest %.1f core-s (%.2f µs/ping), load generator %.1f core-s"
              + " (%.2f µs/ping), Kafka broker %.1f core-s (%.2f µs/ping)%n"
              + "  all three %.2f µs/ping = at most %,.0f pings/s on 2 cores with nothing else"
              + " running%n",
          wall.toMillis() / 1000.0,
          ingestNanos / 1e9,
          ingestNanos * perPing,
          generatorNanos / 1e9,
          generatorNanos * perPing,
          brokerNanos / 1e9,
          brokerNanos * perPing,
          total,
          total == 0 ? 0 : 2e6 / total);
    }
  }

  private record Snapshot(
      long wallNanos, long processNanos, long brokerNanos, Map<Long, Long> gen) {}

  void start() {
    start = snapshot();
  }

  Usage stop() {
    Snapshot end = snapshot();
    long generator = 0;
    for (Map.Entry<Long, Long> thread : end.gen().entrySet()) {
      generator += thread.getValue() - start.gen().getOrDefault(thread.getKey(), 0L);
    }
    long process = end.processNanos() - start.processNanos();
    return new Usage(
        Duration.ofNanos(end.wallNanos() - start.wallNanos()),
        process - generator,
        generator,
        end.brokerNanos() - start.brokerNanos());
  }

  private Snapshot snapshot() {
    Map<Long, Long> generator = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && isGenerator(info.getThreadName())) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          generator.put(info.getThreadId(), cpu);
        }
      }
    }
    long children =
        ProcessHandle.current()
            .descendants()
            .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
            .sum();
    return new Snapshot(System.nanoTime(), os.getProcessCpuTime(), children, generator);
  }

  private static boolean isGenerator(String name) {
    return name.startsWith("load-") || name.startsWith("HttpClient-");
  }
}
