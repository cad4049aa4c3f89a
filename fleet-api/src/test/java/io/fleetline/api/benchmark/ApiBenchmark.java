package io.fleetline.api.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.FleetApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Latency of the hot read paths through the whole service (HTTP, JWT, fleet scoping, PostGIS):
 * latest positions of 10,000 vehicles by bounding box and by radius, and 1000-point pages of a day
 * of 1 Hz history, each with 32 concurrent clients. Not part of the default test run:
 *
 * <pre>./mvnw -o test -pl fleet-api -Dtest=ApiBenchmark -Dfleetline.test.excludedGroups=nothing
 * </pre>
 */
@Tag("benchmark")
class ApiBenchmark extends FleetApiTest {

  static final int VEHICLES = 10_000;
  static final int CLIENTS = Integer.getInteger("fleetline.bench.clients", 32);
  static final int REQUESTS_PER_CLIENT = Integer.getInteger("fleetline.bench.requests", 100);

  final HttpClient http = HttpClient.newBuilder().build();
  String tracked;

  @BeforeAll
  void seed() {
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
                + " 600.0) * 0.05), 4326), 40, 90, 'http' FROM generate_series(0, 86399) AS i,"
                + " LATERAL (SELECT TIMESTAMPTZ '2026-11-20T00:00:00Z' + i * INTERVAL '1 second'"
                + " AS t) AS times")
        .params(tracked, fleetId)
        .update();
    jdbc.sql("ANALYZE vehicles, latest_positions, positions").update();
    System.out.printf(
        Locale.ROOT,
        "[bench] seeded %d latest positions and 86,400 history rows in %.1f s%n",
        VEHICLES,
        (System.nanoTime() - started) / 1e9);
  }

  @Test
  void latestPositionsAndTrackPagesUnder32ConcurrentClients() throws Exception {
    Supplier<String> bbox =
        () -> {
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
        };
    Supplier<String> radius =
        () -> {
          ThreadLocalRandom r = ThreadLocalRandom.current();
          return String.format(
              Locale.ROOT,
              "/api/v1/positions?near=%.5f,%.5f&radiusM=2000",
              52.3 + r.nextDouble(0.4),
              13.0 + r.nextDouble(0.8));
        };
    Supplier<String> track =
        () -> {
          int second = ThreadLocalRandom.current().nextInt(86_400 - 1000);
          return String.format(
              Locale.ROOT,
              "/api/v1/vehicles/%s/track?from=2026-11-20T%02d:%02d:%02dZ&to=2026-11-21T00:00:00Z"
                  + "&limit=1000",
              tracked,
              second / 3600,
              second / 60 % 60,
              second % 60);
        };

    measure("warm-up", bbox, 10);
    measure("warm-up", radius, 10);
    measure("warm-up", track, 10);
    String report =
        String.join(
            "\n",
            measure("bbox (~0.05 deg box, <=100 of 10k vehicles)", bbox, REQUESTS_PER_CLIENT),
            measure("radius (2 km around a point, 10k vehicles)", radius, REQUESTS_PER_CLIENT),
            measure("track page (1000 points of 86,400)", track, REQUESTS_PER_CLIENT));
    System.out.println("[bench] " + CLIENTS + " concurrent clients\n" + report);
    System.out.println("[bench] the same SQL over JDBC, one at a time\n" + databaseOnly());
  }

  /** The queries alone, to tell the database's share from HTTP, security and JSON. */
  private String databaseOnly() {
    List<String> lines = new ArrayList<>();
    String columns = io.fleetline.api.position.PositionRows.COLUMNS;
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
                + " FROM latest_positions p WHERE p.fleet_id = ?::uuid AND"
                + " ST_DWithin(p.location::geography, ST_SetSRID(ST_MakePoint(13.4, 52.5),"
                + " 4326)::geography, 2000) ORDER BY p.vehicle_id LIMIT 101"));
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
        "%-12s p50=%6.2f ms  p99=%6.2f ms",
        name,
        percentile(nanos, 50),
        percentile(nanos, 99));
  }

  private String measure(String name, Supplier<String> paths, int perClient) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Callable<long[]>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(
            () -> {
              long[] nanos = new long[perClient];
              for (int i = 0; i < perClient; i++) {
                HttpRequest request =
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + paths.get()))
                        .header("Authorization", "Bearer " + readOnlyToken)
                        .build();
                long start = System.nanoTime();
                HttpResponse<byte[]> response =
                    http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                nanos[i] = System.nanoTime() - start;
                assertThat(response.statusCode()).isEqualTo(200);
              }
              return nanos;
            });
      }
      long wallStart = System.nanoTime();
      List<long[]> results = new ArrayList<>();
      for (Future<long[]> f : pool.invokeAll(clients)) {
        results.add(f.get());
      }
      double wallS = (System.nanoTime() - wallStart) / 1e9;
      long[] all = results.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return String.format(
          Locale.ROOT,
          "%-48s n=%5d  p50=%6.1f ms  p99=%6.1f ms  max=%6.1f ms  %6.0f req/s",
          name,
          all.length,
          percentile(all, 50),
          percentile(all, 99),
          all[all.length - 1] / 1e6,
          all.length / wallS);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
