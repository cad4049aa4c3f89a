package io.fleetline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shared Dockerfile's rules, and its health-check script run for real with bash against HTTP
 * servers that answer the way the actuator does.
 */
class ImageTest {

  final String dockerfile = Repository.read(Repository.DOCKERFILE);

  @Test
  void baseImageIsAPinnedTemurinJreOfAVirtualThreadCapableRelease() {
    assertThat(dockerfile)
        .containsPattern("ARG JRE_IMAGE=eclipse-temurin:(\\d+)\\.\\d+\\.\\d+_\\d+-jre-noble\\n");
    String version = dockerfile.replaceAll("(?s).*ARG JRE_IMAGE=eclipse-temurin:(\\d+)\\..*", "$1");
    assertThat(Integer.parseInt(version)).isGreaterThanOrEqualTo(21);
    assertThat(dockerfile).contains("SPRING_THREADS_VIRTUAL_ENABLED=true");
  }

  @Test
  void buildIsMultiStageWithSpringBootLayersAndRunsAsNonRoot() {
    assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM "))).hasSize(2);
    assertThat(dockerfile)
        .contains("-Djarmode=tools -jar application.jar extract --layers --launcher");
    List<String> layers =
        dockerfile.lines().filter(l -> l.startsWith("COPY --from=layers")).toList();
    assertThat(layers.get(0)).contains("dependencies/");
    assertThat(layers.get(layers.size() - 1))
        .as("the application layer, which changes most, comes last")
        .contains("application/");
    List<String> users = dockerfile.lines().filter(l -> l.startsWith("USER ")).toList();
    assertThat(users).containsExactly("USER 10001:10001");
    assertThat(dockerfile).contains("HEALTHCHECK").contains("/app/healthcheck.sh");
  }

  @Test
  void healthCheckPassesWhenTheServiceIsUp() throws Exception {
    HttpServer server = actuator(200, "{\"status\":\"UP\",\"groups\":[\"liveness\"]}");
    try {
      assertThat(healthcheck(server.getAddress().getPort())).isZero();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void healthCheckFailsWhenTheServiceIsOutOfService() throws Exception {
    HttpServer server = actuator(503, "{\"status\":\"OUT_OF_SERVICE\"}");
    try {
      assertThat(healthcheck(server.getAddress().getPort())).isNotZero();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void healthCheckFailsWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertThat(healthcheck(port)).isNotZero();
  }

  @Test
  void healthCheckScriptIsExecutable() {
    assertThat(Files.isExecutable(Repository.HEALTHCHECK)).isTrue();
  }

  private static HttpServer actuator(int status, String body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/actuator/health/readiness",
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", "application/vnd.spring-boot.actuator.v3+json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  /** Runs the script the way the image does, with the port in SERVER_PORT. */
  private static int healthcheck(int port) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("bash", Repository.HEALTHCHECK.toString()).redirectErrorStream(true);
    builder.environment().put("SERVER_PORT", Integer.toString(port));
    builder.environment().remove("HEALTHCHECK_PORT");
    Process process = builder.start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }
}
