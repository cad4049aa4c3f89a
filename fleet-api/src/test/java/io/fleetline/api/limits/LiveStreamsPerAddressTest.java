package io.fleetline.api.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.FleetApiTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Live streams and the cap on requests in progress per address: an open stream does not hold its
 * address's share, and a stream that ends while its address is at the cap ends cleanly, without a
 * refusal written into it. Everything here comes from 127.0.0.1.
 */
@TestPropertySource(
    properties = {
      "fleetline.api.connections.max-requests-per-address=2",
      "fleetline.api.live.timeout=15s",
      "server.tomcat.connection-timeout=5m"
    })
// Its own context (a cap of 2 per address): closed after the class rather than kept running.
@DirtiesContext
class LiveStreamsPerAddressTest extends FleetApiTest {

  static final String ADDRESS = "127.0.0.1";

  @Autowired RequestsPerAddressValve limit;

  final HttpClient http = HttpClient.newHttpClient();
  final List<Stream<String>> open = new CopyOnWriteArrayList<>();
  final List<Socket> sockets = new ArrayList<>();

  record LiveStream(List<String> lines, AtomicBoolean ended) {}

  @AfterEach
  void close() throws IOException {
    open.forEach(Stream::close);
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  @Test
  void openStreamsBeyondTheCapKeepStreamingAndTheAddressCanStillCallTheApi() throws Exception {
    List<LiveStream> streams = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      streams.add(connect());
    }

    // Open streams are not requests in progress once their first dispatch has returned.
    await().atMost(Duration.ofSeconds(30)).until(() -> limit.inProgress(ADDRESS) == 0);
    assertThat(api.get("/api/v1/vehicles", fleetToken).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/vehicles", fleetToken).status()).isEqualTo(200);
    assertThat(streams).allSatisfy(s -> assertThat(s.ended()).isFalse());
  }

  @Test
  void aStreamEndingWhileItsAddressIsAtTheCapEndsWithoutARefusalInIt() throws Exception {
    LiveStream stream = connect();
    for (int i = 0; i < 2; i++) {
      sockets.add(announceABodyThatNeverComes());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> limit.inProgress(ADDRESS) == 2);

    // The stream times out: Tomcat dispatches it back through the valve, the address at its cap.
    await().atMost(Duration.ofSeconds(90)).untilTrue(stream.ended());

    assertThat(stream.lines()).noneMatch(l -> l.contains("too-many-requests-in-progress"));
    assertThat(limit.inProgress(ADDRESS)).as("the held requests, no more").isEqualTo(2);
  }

  private LiveStream connect() throws Exception {
    HttpResponse<Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + ADDRESS + ":" + port + "/api/v1/live"))
                .header("Authorization", "Bearer " + readOnlyToken)
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    Stream<String> body = response.body();
    open.add(body);
    LiveStream stream = new LiveStream(new CopyOnWriteArrayList<>(), new AtomicBoolean());
    Thread reader =
        new Thread(
            () -> {
              try {
                body.forEach(stream.lines()::add);
              } catch (RuntimeException e) {
                // closed by the test
              } finally {
                stream.ended().set(true);
              }
            });
    reader.setDaemon(true);
    reader.start();
    return stream;
  }

  /** A token request from the address whose announced body never comes: held in progress. */
  private Socket announceABodyThatNeverComes() throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 0));
    socket.connect(new InetSocketAddress(ADDRESS, port));
    socket
        .getOutputStream()
        .write(
            ("POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 1000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }
}
