package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.auth.ConsoleSignInTest.Pkce;
import io.fleetline.api.testing.FleetApiTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Anyone may ask for the sign-in form or start an authorization request without credentials, and
 * each such request without a session may store a sign-in session: one source address begins at
 * most its limit of them, then is answered 429. Each test sends from an address of its own on the
 * loopback network (127.0.0.0/8), over plain sockets, so that no other test shares its count: the
 * counts are kept in the database, for every instance and every test class alike. The window is so
 * long that no session comes back while a test runs, however slowly it runs.
 */
@TestPropertySource(
    properties = {
      "fleetline.console.new-sign-in-sessions.per-address=5",
      "fleetline.console.new-sign-in-sessions.window=100000d"
    })
class SignInSessionFloodTest extends FleetApiTest {

  @Autowired NewSignInSessionLimits limits;

  @Test
  void anonymousSignInFormRequestsFromOneAddressStoreAtMostTheLimitOfSessions() throws Exception {
    long before = sessionRows();
    List<Answer> answers = flood("127.0.0.2", () -> "/console/login", limits.perAddress() + 10);

    assertThat(answers.subList(0, limits.perAddress()))
        .allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
    assertThat(answers.subList(limits.perAddress(), answers.size()))
        .allSatisfy(
            a -> {
              assertThat(a.status()).isEqualTo(429);
              assertThat(Long.parseLong(a.headers().get("retry-after"))).isPositive();
              assertThat(a.headers()).doesNotContainKey("set-cookie");
            });
    assertThat(sessionRows() - before).isLessThanOrEqualTo(limits.perAddress());
  }

  @Test
  void anonymousAuthorizationRequestsFromOneAddressStoreAtMostTheLimitOfSessions()
      throws Exception {
    String authorize = ConsoleSignInTest.authorizeUrl(new Pkce(), ConsoleSignInTest.REDIRECT);
    long before = sessionRows();
    List<Answer> answers = flood("127.0.0.3", () -> authorize, limits.perAddress() + 10);

    assertThat(answers.subList(0, limits.perAddress()))
        .allSatisfy(a -> assertThat(a.status()).isEqualTo(302));
    assertThat(answers.subList(limits.perAddress(), answers.size()))
        .allSatisfy(a -> assertThat(a.status()).isEqualTo(429));
    assertThat(sessionRows() - before).isLessThanOrEqualTo(limits.perAddress());
  }

  @Test
  void browserAlreadySigningInContinuesWhileItsAddressIsLimited() throws Exception {
    Answer first = get("127.0.0.4", "/console/login", null);
    assertThat(first.status()).isEqualTo(200);
    String session = first.headers().get("set-cookie").split(";", 2)[0];
    flood("127.0.0.4", () -> "/console/login", limits.perAddress());
    assertThat(get("127.0.0.4", "/console/login", null).status()).isEqualTo(429);

    Answer continued = get("127.0.0.4", "/console/login", session);

    assertThat(continued.status()).isEqualTo(200);
  }

  @Test
  void limitedAddressLeavesOtherAddressesSigningIn() throws Exception {
    List<Answer> limited = flood("127.0.0.5", () -> "/console/login", limits.perAddress() + 1);
    assertThat(limited.get(limits.perAddress()).status()).isEqualTo(429);

    Answer form = get("127.0.0.6", "/console/login", null);

    assertThat(form.status()).isEqualTo(200);
  }

  // ---------------------------------------------------------------------------------------------

  private record Answer(int status, Map<String, String> headers) {}

  private List<Answer> flood(String from, Supplier<String> path, int requests) throws IOException {
    List<Answer> answers = new ArrayList<>(requests);
    for (int i = 0; i < requests; i++) {
      answers.add(get(from, path.get(), null));
    }
    return answers;
  }

  /** One GET without cookies (or with the given one) on its own connection from the address. */
  private Answer get(String from, String path, String cookie) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      socket.setSoTimeout(10_000);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\n"
              + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
              + "Connection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      var in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      int status = Integer.parseInt(in.readLine().split(" ", 3)[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
            line.substring(colon + 1).strip());
      }
      return new Answer(status, headers);
    }
  }

  private long sessionRows() {
    return jdbc.sql("SELECT count(*) FROM console_sessions").query(Long.class).single();
  }
}
