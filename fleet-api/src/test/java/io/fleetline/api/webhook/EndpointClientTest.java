package io.fleetline.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook requests over TLS to the address the destination check resolved: the certificate must
 * still name the URL's host, and the request carries that host, the headers and the body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointClientTest {

  HttpsServer server;
  SSLContext trustingTheEndpoint;
  final CopyOnWriteArrayList<String> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  void endpointWithACertificateForLocalhost(@TempDir Path directory) throws Exception {
    char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
    Path keystore = directory.resolve("endpoint.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "endpoint",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                new String(password),
                "-keypass",
                new String(password))
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, password);
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, password);
    SSLContext serving = SSLContext.getInstance("TLS");
    serving.init(keyManagers.getKeyManagers(), null, null);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keys);
    trustingTheEndpoint = SSLContext.getInstance("TLS");
    trustingTheEndpoint.init(null, trust.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serving));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(
                exchange.getRequestURI()
                    + " "
                    + exchange.getRequestHeaders().getFirst("Host")
                    + " "
                    + exchange.getRequestHeaders().getFirst("webhook-id")
                    + " "
                    + body);
            exchange.sendResponseHeaders(202, -1);
          }
        });
    server.start();
  }

  @AfterAll
  void stop() {
    server.stop(0);
  }

  @Test
  void httpsReachesTheCheckedAddressAndVerifiesTheUrlsHost() throws Exception {
    int port = server.getAddress().getPort();
    Destinations destinations = new Destinations(AddressRulesTest.settings(true));
    try {
      Destinations.Target target = destinations.check("https://localhost:" + port + "/in?x=1");
      EndpointClient client =
          new EndpointClient(
              AddressRulesTest.settings(true), trustingTheEndpoint.getSocketFactory());

      EndpointClient.Answer answer =
          client.post(
              target,
              Map.of("webhook-id", "evt_1"),
              "{\"type\":\"trip_started\"}".getBytes(StandardCharsets.UTF_8));

      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(answer.successful()).isTrue();
      assertThat(seen)
          .containsExactly("/in?x=1 localhost:" + port + " evt_1 {\"type\":\"trip_started\"}");
    } finally {
      destinations.destroy();
    }
  }

  @Test
  void aCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
    Destinations destinations = new Destinations(AddressRulesTest.settings(true));
    try {
      Destinations.Target target =
          destinations.check("https://127.0.0.1:" + server.getAddress().getPort() + "/");
      EndpointClient client =
          new EndpointClient(
              AddressRulesTest.settings(true), trustingTheEndpoint.getSocketFactory());

      assertThatThrownBy(() -> client.post(target, Map.of(), new byte[0]))
          .isInstanceOf(SSLHandshakeException.class);
    } finally {
      destinations.destroy();
    }
  }

  @Test
  void anEndpointTheJvmDoesNotTrustIsRefused() throws Exception {
    Destinations destinations = new Destinations(AddressRulesTest.settings(true));
    try {
      Destinations.Target target =
          destinations.check("https://localhost:" + server.getAddress().getPort() + "/");
      EndpointClient client = new EndpointClient(AddressRulesTest.settings(true));

      assertThatThrownBy(() -> client.post(target, Map.of(), new byte[0]))
          .isInstanceOf(IOException.class);
    } finally {
      destinations.destroy();
    }
  }

  @Test
  void anEndpointTricklingItsTlsHandshakeIsCutAtTheAttemptsDeadline() throws Exception {
    // Each byte comes well within the read timeout (1 s), so only a deadline over the whole
    // attempt (connect 1 s + response 1 s) ends it: the record announced is 16 KB long.
    try (ServerSocket trickler = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread endpoint =
          new Thread(
              () -> {
                try (Socket socket = trickler.accept()) {
                  OutputStream out = socket.getOutputStream();
                  out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
                  out.flush();
                  for (int i = 0; i < 16_384; i++) {
                    out.write(0x02);
                    out.flush();
                    Thread.sleep(200);
                  }
                } catch (IOException | InterruptedException e) {
                  // the client hung up, as it should
                }
              });
      endpoint.setDaemon(true);
      endpoint.start();
      Destinations destinations = new Destinations(AddressRulesTest.settings(true));
      try {
        Destinations.Target target =
            destinations.check("https://localhost:" + trickler.getLocalPort() + "/");
        EndpointClient client =
            new EndpointClient(
                AddressRulesTest.settings(true), trustingTheEndpoint.getSocketFactory());

        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                assertThatThrownBy(() -> client.post(target, Map.of(), new byte[0]))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("did not end within"));
      } finally {
        destinations.destroy();
        endpoint.interrupt();
      }
    }
  }
}
