package io.fleetline.api.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Clients that announce a body and never send it: they may hold only their address's share of the
 * server's threads, while everyone else is served. The read timeout is long here, so that what
 * frees the server is the limit, not the timeout.
 */
@TestPropertySource(properties = "server.tomcat.connection-timeout=5m")
class SlowClientsTest extends FleetApiTest {

  static final String ATTACKER = "127.0.0.2";

  @Autowired RequestsPerAddressValve limit;

  @Test
  void aNormalClientIsServedWhile500ConnectionsWithholdTheTokenRequestBodiesTheyAnnounced()
      throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 500; i++) {
        slow.add(announce("/oauth2/token", "application/x-www-form-urlencoded", 1_000_000));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> limit.inProgress(ATTACKER) == 50);

      String refused = answerOf(slow.get(slow.size() - 1));
      assertThat(refused).startsWith("HTTP/1.1 429").contains("Retry-After: ");
      assertThat(refused.toLowerCase()).contains("application/problem+json", "connection: close");

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String token = clientToken(fleetId, "fleet.read");
                assertThat(api.get("/api/v1/vehicles", token).status()).isEqualTo(200);
                assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
              });
      assertThat(limit.inProgress(ATTACKER)).as("the slow ones are still held").isEqualTo(50);
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void tokenRequestsAnnouncingMoreThanTheLimitAre413AndClosedWithoutWaitingForTheirBodies()
      throws Exception {
    List<Socket> large = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        large.add(announce("/oauth2/token", "application/x-www-form-urlencoded", 2_000_000));
      }
      for (Socket socket : large) {
        // The server ends the connection itself; it does not drain the body that never comes.
        String answer = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> answerOf(socket));
        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer.toLowerCase()).contains("application/problem+json");
      }
      ApiClient.Response health = api.get("/actuator/health", null);
      assertThat(health.status()).isEqualTo(200);
    } finally {
      for (Socket socket : large) {
        socket.close();
      }
    }
  }

  /** Connects from the attacker's address and sends headers announcing a body that never comes. */
  private Socket announce(String path, String contentType, int contentLength) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(ATTACKER), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket
        .getOutputStream()
        .write(
            ("POST "
                    + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + contentType
                    + "\r\nContent-Length: "
                    + contentLength
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** Everything the server sends until it closes the connection. */
  private static String answerOf(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
