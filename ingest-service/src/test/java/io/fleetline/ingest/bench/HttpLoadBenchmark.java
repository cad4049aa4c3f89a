package io.fleetline.ingest.bench;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.ingest.IngestApplication;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.testing.KafkaBrokerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Load run of the HTTP batch endpoint into the real Kafka broker (a JVM of its own), with the load
 * generator in this JVM beside ingest: prints accepted pings/s and request latency percentiles.
 * Settings: {@code -Dbench.seconds} (20), {@code -Dbench.clients} concurrent senders (8), {@code
 * -Dbench.devices} (200), {@code -Dbench.batch} pings per request (1000), {@code -Dbench.args}
 * extra ingest arguments.
 */
public final class HttpLoadBenchmark {

  private HttpLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("bench.seconds", 20);
    int clients = Integer.getInteger("bench.clients", 8);
    int devices = Integer.getInteger("bench.devices", 200);
    int batch = Integer.getInteger("bench.batch", 1000);
    try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start()) {
      ConfigurableApplicationContext ingest =
          // Arguments, not default properties: they must win over application.yaml.
          new SpringApplicationBuilder(IngestApplication.class)
              .run(ingestArguments(kafka.bootstrapServers()));
      try {
        int port = ((WebServerApplicationContext) ingest).getWebServer().getPort();
        List<String> tokens = register(kafka, ingest.getBean(DeviceRegistry.class), devices);
        run(port, tokens, clients, batch, Duration.ofSeconds(seconds));
      } finally {
        ingest.close();
      }
    }
  }

  /**
   * ingest's settings for the run; {@code -Dbench.args="--a=b --c=d"} adds to them, e.g. to compare
   * producer settings.
   */
  private static String[] ingestArguments(String bootstrapServers) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--server.port=0",
                "--fleetline.ingest.osmand.enabled=false",
                "--fleetline.ingest.teltonika.enabled=false",
                "--logging.level.org.apache.kafka=WARN"));
    String extra = System.getProperty("bench.args", "").trim();
    if (!extra.isEmpty()) {
      arguments.addAll(Arrays.asList(extra.split("\\s+")));
    }
    return arguments.toArray(String[]::new);
  }

  private static List<String> register(KafkaBrokerProcess kafka, DeviceRegistry registry, int n)
      throws Exception {
    List<String> tokens = new ArrayList<>();
    DeviceRegistration[] registrations = new DeviceRegistration[n];
    for (int i = 0; i < n; i++) {
      String token = DeviceTokens.newToken();
      tokens.add(token);
      registrations[i] =
          new DeviceRegistration(
              1,
              UUID.randomUUID(),
              UUID.randomUUID(),
              UUID.randomUUID(),
              DeviceProtocol.HTTP,
              "bench-" + i,
              DeviceTokens.sha256Hex(token),
              true);
    }
    new KafkaTopics(kafka.bootstrapServers()).register(registrations);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> registry.findByToken(tokens.get(n - 1)).isPresent());
    return tokens;
  }

  private static void run(int port, List<String> tokens, int clients, int batch, Duration duration)
      throws Exception {
    ExecutorService httpThreads = Executors.newCachedThreadPool(named("load-http"));
    HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/pings");
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Long> latenciesMicros = java.util.Collections.synchronizedList(new ArrayList<>());
    // Bodies are prepared up front, as a load tool replays recorded traffic: the generator shares
    // the two cores with ingest and the broker, and its JSON building is not what is measured.
    Instant base = Instant.now().minus(Duration.ofDays(1));
    List<byte[]> bodies = new ArrayList<>();
    for (int b = 0; b < 64; b++) {
      bodies.add(body(base.plusSeconds((long) b * batch), batch));
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients, named("load-client"));
    Instant warmupEnd = Instant.now().plusSeconds(5);
    CpuMeter cpu = new CpuMeter();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    timer.schedule(cpu::start, Duration.between(Instant.now(), warmupEnd).toMillis(), MILLISECONDS);
    Instant end = warmupEnd.plus(duration);
    List<Future<?>> senders = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      senders.add(
          pool.submit(
              () -> {
                int i = 0;
                while (Instant.now().isBefore(end)) {
                  String token = tokens.get((client + i * clients) % tokens.size());
                  byte[] body = bodies.get((client + i * clients) % bodies.size());
                  long started = System.nanoTime();
                  HttpResponse<String> response =
                      http.send(
                          HttpRequest.newBuilder(uri)
                              .header("Authorization", "Bearer " + token)
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  boolean measured = Instant.now().isAfter(warmupEnd);
                  if (response.statusCode() == 202 && measured) {
                    accepted.addAndGet(batch);
                    latenciesMicros.add((System.nanoTime() - started) / 1000);
                  } else if (response.statusCode() != 202) {
                    if (failed.incrementAndGet() == 1) {
                      System.out.println(
                          "first failure: " + response.statusCode() + " " + response.body());
                    }
                  }
                  i++;
                }
                return null;
              }));
    }
    for (Future<?> sender : senders) {
      sender.get();
    }
    CpuMeter.Usage usage = cpu.stop();
    timer.shutdown();
    pool.shutdown();
    httpThreads.shutdown();
    long[] sorted = latenciesMicros.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%nHTTP batch load: %d clients, %d pings/request, %ds measured after 5s warm-up%n"
            + "  accepted %,d pings = %,.0f pings/s; failed requests %d%n"
            + "  request latency p50 %.1f ms, p99 %.1f ms%n",
        clients,
        batch,
        duration.toSeconds(),
        accepted.get(),
        accepted.get() / (double) duration.toSeconds(),
        failed.get(),
        percentile(sorted, 0.50) / 1000.0,
        percentile(sorted, 0.99) / 1000.0);
    usage.print(accepted.get());
  }

  private static ThreadFactory named(String prefix) {
    AtomicLong next = new AtomicLong();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static byte[] body(Instant start, int n) {
    StringBuilder json = new StringBuilder(n * 120).append('[');
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"recordedAt\":\"")
          .append(start.plusMillis(i * 1000L))
          .append("\",\"latitude\":")
          .append(52.4 + (i % 100) * 1e-3)
          .append(",\"longitude\":")
          .append(13.3 + (i % 97) * 1e-3)
          .append(",\"speedKmh\":42.5,\"headingDeg\":90,\"ignition\":true}");
    }
    return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
}
