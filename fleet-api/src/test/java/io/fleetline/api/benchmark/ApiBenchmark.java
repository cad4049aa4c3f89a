package io.fleetline.api.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.position.PositionRows;
import io.fleetline.api.testing.FleetApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Latency of the hot read paths through the whole service (HTTP, JWT, fleet scoping, PostGIS,
 * JSON): latest positions of 10,000 vehicles by bounding box and by radius, and 1000-point pages of
 * one vehicle's day of 1 Hz history (86,400 points), each with 32 concurrent clients, each client
 * with its own API client and token. Two modes per query type:
 *
 * <ul>
 *   <li><b>closed loop</b> — every client sends its next request as soon as the last one answered:
 *       the saturation throughput, and the latency at that throughput (by Little's law about
 *       clients / throughput);
 *   <li><b>open loop</b> — the clients together send at a fixed rate, each on its own schedule;
 *       latency counts from the <em>intended</em> send time, so a stalled server is charged for the
 *       requests it delayed (no coordinated omission).
 * </ul>
 *
 * The load generator shares the machine's cores with the service and PostgreSQL, so it is kept
 * cheap: one JDK HttpClient with kept-alive connections, bodies counted but not parsed. Not part of
 * the default test run:
 *
 * <pre>./mvnw -o test -pl fleet-api -Dtest=ApiBenchmark -Dfleetline.test.excludedGroups=nothing
 * </pre>
 *
 * Settings (system properties): {@code fleetline.bench.clients} (32), {@code
 * fleetline.bench.seconds} per query type and mode (10), {@code fleetline.bench.rate} total offered
 * requests per second in the open loop (200).
 */
@Tag("benchmark")
class ApiBenchmark extends FleetApiTest {

  static final int VEHICLES = 10_000;
  static final int HISTORY_POINTS = 86_400;
  static final int CLIENTS = Integer.getInteger("fleetline.bench.clients", 32);
  static final int SECONDS = Integer.getInteger("fleetline.bench.seconds", 10);
  static final int RATE = Integer.getInteger("fleetline.bench.rate", 200);

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  final List<String> tokens = new ArrayList<>();
  ExecutorService clients;
  String tracked;

  @BeforeAll
  void seed() throws Exception {
    long started = System.nanoTime();
    jdbc.sql(
            "INSERT INTO vehicles (id, fleet_id, name) SELECT gen_random_uuid(), ?::uuid,"
                + " 'Bench ' || i FROM generate_series(1, ?) AS i")
        .params(fleetId, VEHICLES)
        .update();
    // Spread over a 0.8 x 0.4 degree box around Berlin (about 55 x 45 km).
    jdbc.sql(
            "INSERT INTO latest_positions (vehicle_id, fleet_id, recorded_at, received_at,"
                + " stored_at, location, speed_kmh, protocol) SELECT id, fleet_id, now(), now(),"
                + " now(), ST_SetSRID(ST_MakePoint(13.0 + random() * 0.8, 52.3 + random() *"
                + " 0.4), 4326), 30, 'http' FROM vehicles WHERE fleet_id = ?::uuid")
        .param(fleetId)
        .update();
    tracked =
        jdbc.sql("SELECT id::text FROM vehicles WHERE fleet_id = ?::uuid LIMIT 1")
            .param(fleetId)
            .query(String.class)
            .single();
    jdbc.sql("SELECT fleetline_ensure_positions_partition(DATE '2026-11-20')").query().listOfRows();
    jdbc.sql(
            "INSERT INTO positions (vehicle_id, recorded_at, fleet_id, received_at, stored_at,"
                + " location, speed_kmh, heading_deg, protocol) SELECT ?::uuid, t, ?::uuid, t,"
                + " t, ST_SetSRID(ST_MakePoint(13.4 + sin(i / 600.0) * 0.05, 52.5 + cos(i /"
                + " 600.0) * 0.05), 4326), 40, 90, 'http' FROM generate_series(0, ?) AS i,"
                + " LATERAL (SELECT TIMESTAMPTZ '2026-11-20T00:00:00Z' + i * INTERVAL '1 second'"
                + " AS t) AS times")
        .params(tracked, fleetId, HISTORY_POINTS - 1)
        .update();
    jdbc.sql("ANALYZE vehicles, latest_positions, positions").update();
    for (int c = 0; c < CLIENTS; c++) {
      tokens.add(clientToken(fleetId, "fleet.read"));
    }
    clients = Executors.newFixedThreadPool(CLIENTS);
    System.out.printf(
        Locale.ROOT,
        "[bench] seeded %d latest positions, %d history rows and %d API clients in %.1f s (load average %s)%n",
        VEHICLES,
        HISTORY_POINTS,
        CLIENTS,
        (System.nanoTime() - started) / 1e9,
        loadAverage());
  }

  @AfterAll
  void stopClients() {
    clients.shutdownNow();
  }

  /** A query type: how to make its next path, and the smallest body a right answer can have. */
  record Query(String name, Supplier<String> paths, int minBytes) {}

  @Test
  void latestPositionsAndTrackPagesUnder32ConcurrentClients() throws Exception {
    List<Query> queries =
        List.of(
            new Query("bbox (0.05 deg box, ~75 of 10k vehicles)", this::bboxPath, 20),
            new Query("radius (2 km around a point, 10k vehicles)", this::radiusPath, 20),
            new Query("track page (1000 of 86,400 points)", this::trackPath, 100_000));
    for (Query query : queries) {
      closedLoop(query, Math.max(2, SECONDS / 2)); // warm-up: JIT, connections, caches
    }
    List<String> closed = new ArrayList<>();
    for (Query query : queries) {
      closed.add(closedLoop(query, SECONDS));
    }
    List<String> open = new ArrayList<>();
    for (Query query : queries) {
      open.add(openLoop(query, SECONDS, RATE));
    }
    System.out.println(
        "[bench] closed loop: "
            + CLIENTS
            + " clients back to back, "
            + SECONDS
            + " s per query type\n"
            + String.join("\n", closed));
    System.out.println(
        "[bench] open loop: "
            + CLIENTS
            + " clients sending "
            + RATE
            + " req/s in total, latency from the intended send time\n"
            + String.join("\n", open));
    System.out.println("[bench] the same SQL over JDBC, one at a time\n" + databaseOnly());
    System.out.println("[bench] load average: " + loadAverage());
  }

  private String bboxPath() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    double lon = 13.0 + r.nextDouble(0.75);
    double lat = 52.3 + r.nextDouble(0.35);
    return String.format(
        Locale.ROOT,
        "/api/v1/positions?bbox=%.5f,%.5f,%.5f,%.5f",
        lon,
        lat,
        lon + 0.05,
        lat + 0.05);
  }

  private String radiusPath() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format(
        Locale.ROOT,
        "/api/v1/positions?near=%.5f,%.5f&radiusM=2000",
        52.3 + r.nextDouble(0.4),
        13.0 + r.nextDouble(0.8));
  }

  private String trackPath() {
    int second = ThreadLocalRandom.current().nextInt(HISTORY_POINTS - 1000);
    return String.format(
        Locale.ROOT,
        "/api/v1/vehicles/%s/track?from=2026-11-20T%02d:%02d:%02dZ&to=2026-11-21T00:00:00Z"
            + "&limit=1000",
        tracked,
        second / 3600,
        second / 60 % 60,
        second % 60);
  }

  /** Every client sends its next request as soon as its last one was answered. */
  private String closedLoop(Query query, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Callable<long[]>> work = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      String token = tokens.get(c);
      work.add(
          () -> {
            long[] nanos = new long[1024];
            int n = 0;
            for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
              send(query, token);
              if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, n * 2);
              }
              nanos[n++] = System.nanoTime() - start;
            }
            return Arrays.copyOf(nanos, n);
          });
    }
    return report(query, run(work));
  }

  /**
   * The clients together send {@code rate} requests a second, client {@code c} at {@code start + (c
   * + i * clients) / rate}; a request's latency counts from that intended time, so waiting for an
   * earlier answer of the same client counts as latency too. A server that cannot keep up is given
   * three times the planned duration; what was not sent by then is reported as unsent.
   */
  private String openLoop(Query query, int seconds, int rate) throws Exception {
    long intervalNanos = 1_000_000_000L / rate;
    long start = System.nanoTime() + 10_000_000L;
    long giveUp = start + 3L * seconds * 1_000_000_000L;
    int perClient = seconds * rate / CLIENTS;
    List<Callable<long[]>> work = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      String token = tokens.get(c);
      long first = start + c * intervalNanos;
      work.add(
          () -> {
            long[] nanos = new long[perClient];
            int n = 0;
            for (; n < perClient && System.nanoTime() < giveUp; n++) {
              long intended = first + (long) n * CLIENTS * intervalNanos;
              for (long wait = intended - System.nanoTime();
                  wait > 0;
                  wait = intended - System.nanoTime()) {
                LockSupport.parkNanos(wait);
              }
              send(query, token);
              nanos[n] = System.nanoTime() - intended;
            }
            return Arrays.copyOf(nanos, n);
          });
    }
    Result result = run(work);
    int unsent = perClient * CLIENTS - result.sortedNanos().length;
    return report(query, result) + (unsent == 0 ? "" : "  UNSENT=" + unsent + " (overloaded)");
  }

  private Result run(List<Callable<long[]>> work) throws Exception {
    long cpuStart = processCpuNanos();
    long wallStart = System.nanoTime();
    List<long[]> results = new ArrayList<>();
    for (Future<long[]> f : clients.invokeAll(work)) {
      results.add(f.get());
    }
    double wallS = (System.nanoTime() - wallStart) / 1e9;
    long cpuNanos = processCpuNanos() - cpuStart;
    return new Result(
        results.stream().flatMapToLong(Arrays::stream).sorted().toArray(), wallS, cpuNanos);
  }

  private record Result(long[] sortedNanos, double wallS, long cpuNanos) {}

  /**
   * One line per query type. {@code cpu/req} is this JVM's CPU time (the service and the load
   * generator together, not PostgreSQL) per request: unlike latency, it hardly depends on what else
   * runs on the machine.
   */
  private String report(Query query, Result result) {
    long[] all = result.sortedNanos();
    return String.format(
        Locale.ROOT,
        "  %-44s n=%6d %5.0f req/s  p50=%7.2f  p95=%7.2f  p99=%7.2f  max=%7.2f ms"
            + "  cpu/req=%5.2f ms",
        query.name(),
        all.length,
        all.length / result.wallS(),
        percentile(all, 50),
        percentile(all, 95),
        percentile(all, 99),
        all[all.length - 1] / 1e6,
        result.cpuNanos() / 1e6 / all.length);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** One request; checks the status and that the body is plausibly whole, without parsing it. */
  private void send(Query query, String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + query.paths().get()))
            .header("Authorization", "Bearer " + token)
            .build();
    HttpResponse<Long> response = http.send(request, info -> new ByteCounter());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isGreaterThanOrEqualTo(query.minBytes());
  }

  /** A body subscriber that only counts the bytes. */
  private static final class ByteCounter implements HttpResponse.BodySubscriber<Long> {
    private final java.util.concurrent.CompletableFuture<Long> total =
        new java.util.concurrent.CompletableFuture<>();
    private long bytes;

    @Override
    public CompletionStage<Long> getBody() {
      return total;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        bytes += buffer.remaining();
      }
    }

    @Override
    public void onError(Throwable error) {
      total.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      total.complete(bytes);
    }
  }

  /** The queries alone, to tell the database's share from HTTP, security and JSON. */
  private String databaseOnly() {
    List<String> lines = new ArrayList<>();
    String columns = PositionRows.COLUMNS;
    lines.add(
        timeSql(
            "bbox",
            "SELECT "
                + columns
                + " FROM latest_positions p WHERE p.fleet_id = ?::uuid AND p.location &&"
                + " ST_MakeEnvelope(13.3, 52.4, 13.35, 52.45, 4326) ORDER BY p.vehicle_id LIMIT"
                + " 101"));
    lines.add(
        timeSql(
            "radius",
            "SELECT "
                + columns
                + " FROM latest_positions p WHERE p.fleet_id = ?::uuid"
                // the box the API's prefilter puts around this circle (CircleBounds)
                + " AND p.location && ST_MakeEnvelope(13.37017, 52.48173, 13.42983, 52.51827,"
                + " 4326) AND ST_DWithin(p.location::geography, ST_SetSRID(ST_MakePoint(13.4,"
                + " 52.5), 4326)::geography, 2000) ORDER BY p.vehicle_id LIMIT 101"));
    lines.add(
        timeSql(
            "track page",
            "SELECT "
                + columns
                + " FROM positions p WHERE p.fleet_id = ?::uuid AND p.vehicle_id = '"
                + tracked
                + "' AND p.recorded_at >= '2026-11-20T12:00:00Z' AND p.recorded_at <"
                + " '2026-11-21T00:00:00Z' ORDER BY p.recorded_at LIMIT 1001"));
    return String.join("\n", lines);
  }

  private String timeSql(String name, String sql) {
    long[] nanos = new long[200];
    for (int i = -20; i < nanos.length; i++) {
      long start = System.nanoTime();
      jdbc.sql(sql).param(fleetId).query().listOfRows();
      if (i >= 0) {
        nanos[i] = System.nanoTime() - start;
      }
    }
    Arrays.sort(nanos);
    return String.format(
        Locale.ROOT,
        "  %-12s p50=%6.2f ms  p99=%6.2f ms",
        name,
        percentile(nanos, 50),
        percentile(nanos, 99));
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static double percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
