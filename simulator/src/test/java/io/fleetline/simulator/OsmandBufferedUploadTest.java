package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An OsmAnd device's buffered upload against a server that answers requests concurrently and is
 * slow to store the first position: the positions must still be stored in the order recorded, as
 * analytics orders only positions that arrive within its reorder window.
 */
class OsmandBufferedUploadTest {

  private static final int POSITIONS = 40;

  /** The first position is stored only once this later one is, or after {@link #HOLD}. */
  private static final int OVERTAKER = 25;

  private static final Duration HOLD = Duration.ofSeconds(2);
  private static final Pattern TIMESTAMP = Pattern.compile("&timestamp=(\\d+)");

  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final List<Long> stored = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private final CountDownLatch overtakerStored = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(handlers);
    server.createContext("/", this::osmand);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private void osmand(HttpExchange e) throws IOException {
    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      long timestamp = timestamp(e.getRequestURI().getRawQuery());
      if (timestamp == epochMilli(0)) {
        // A slow hand-over to Kafka: whatever else of the device is in flight overtakes it.
        overtakerStored.await(HOLD.toMillis(), TimeUnit.MILLISECONDS);
      }
      stored.add(timestamp);
      if (timestamp == epochMilli(OVERTAKER)) {
        overtakerStored.countDown();
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
    byte[] body = "{\"accepted\":1,\"rejected\":[]}".getBytes(StandardCharsets.UTF_8);
    e.sendResponseHeaders(200, body.length);
    e.getResponseBody().write(body);
    e.close();
  }

  private static long timestamp(String query) {
    Matcher m = TIMESTAMP.matcher(query);
    assertThat(m.find()).as("timestamp in %s", query).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static long epochMilli(int second) {
    return HttpUplinksTest.reading(second).recordedAt().toEpochMilli();
  }

  @Test
  void aBufferedUploadReachesIngestInTheOrderRecordedOnePositionAtATime() throws Exception {
    List<Outgoing> buffer = new ArrayList<>();
    List<Long> recorded = new ArrayList<>();
    for (int second = 0; second < POSITIONS; second++) {
      buffer.add(Outgoing.valid(HttpUplinksTest.reading(second)));
      recorded.add(epochMilli(second));
    }
    try (OsmandUplink uplink =
        new OsmandUplink(
            HttpClient.newHttpClient(),
            "http://127.0.0.1:" + server.getAddress().getPort(),
            new Retry(Duration.ofSeconds(10)))) {
      List<Outcome> outcomes =
          uplink.send(new Device("v2", Protocol.OSMAND, "sim-x-2", null), buffer);

      assertThat(outcomes).hasSize(POSITIONS).containsOnly(Outcome.accepted());
    }
    assertThat(stored).as("positions in the order stored").containsExactlyElementsOf(recorded);
    assertThat(mostInFlight).as("requests of the device in flight at once").hasValue(1);
  }
}
