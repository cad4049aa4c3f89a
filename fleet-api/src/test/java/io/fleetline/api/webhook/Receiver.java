package io.fleetline.api.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * A webhook endpoint for tests: the JDK's HTTP server on a free loopback port, recording every
 * request and answering with the status the test's rule gives (a negative status: no answer until
 * the receiver closes, as a hanging endpoint).
 */
final class Receiver implements AutoCloseable {

  /** One request as the endpoint saw it. */
  record Request(String id, String timestamp, String signature, String body, int answered) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Object hang = new Object();
  private volatile boolean closed;
  private volatile ToIntFunction<Request> rule = r -> 200;
  private volatile String location;

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext(
        "/",
        exchange -> {
          try (exchange;
              InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders();
            Request seen =
                new Request(
                    headers.getFirst("webhook-id"),
                    headers.getFirst("webhook-timestamp"),
                    headers.getFirst("webhook-signature"),
                    body,
                    0);
            int status = rule.applyAsInt(seen);
            requests.add(new Request(seen.id(), seen.timestamp(), seen.signature(), body, status));
            if (status < 0) {
              synchronized (hang) {
                while (!closed) {
                  hang.wait();
                }
              }
              return;
            }
            if (location != null) {
              exchange.getResponseHeaders().add("Location", location);
            }
            exchange.sendResponseHeaders(status, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void answer(ToIntFunction<Request> rule) {
    this.rule = rule;
  }

  /** Sends this {@code Location} with every answer, as a redirecting endpoint does. */
  void redirectTo(String location) {
    this.location = location;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The webhook-ids the endpoint answered with 2xx, de-duplicated. */
  Set<String> accepted() {
    return requests.stream()
        .filter(r -> r.answered() >= 200 && r.answered() < 300)
        .map(Request::id)
        .collect(Collectors.toSet());
  }

  @Override
  public void close() {
    closed = true;
    synchronized (hang) {
      hang.notifyAll();
    }
    server.stop(0);
    threads.shutdownNow();
  }
}
