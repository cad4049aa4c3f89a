package io.fleetline.systemtest;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Fleetline service running from its executable jar in a JVM of its own, as in production:
 * started with environment variables, logging to a file, ready when its readiness probe says so. A
 * test can kill it with SIGKILL and start it again with the same configuration.
 */
final class ServiceProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int port;
  private final Path log;
  private final ProcessBuilder builder;
  private Process process;

  private ServiceProcess(String name, int port, Path log, ProcessBuilder builder) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.builder = builder;
  }

  /** Starts the jar named by system property {@code fleetline.jar.<name>} on the given port. */
  static ServiceProcess start(String name, int port, Map<String, String> environment) {
    return start(name, name, port, environment);
  }

  /**
   * Starts one instance, logging to {@code <instance>.log}, of the service whose jar system
   * property {@code fleetline.jar.<service>} names.
   */
  static ServiceProcess start(
      String service, String instance, int port, Map<String, String> environment) {
    Path jar = Path.of(System.getProperty("fleetline.jar." + service));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build the services first (./mvnw verify)");
    }
    try {
      Path logs = Path.of(System.getProperty("fleetline.logs", "target/system-test-logs"));
      Files.createDirectories(logs);
      Path log = logs.resolve(instance + ".log");
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> command =
          new ArrayList<>(
              List.of(
                  java,
                  "-Xmx384m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-jar",
                  jar.toString(),
                  "--server.port=" + port));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      ServiceProcess started = new ServiceProcess(instance, port, log, builder);
      started.launch();
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() throws IOException {
    Files.writeString(
        log,
        "=== system test starts " + name + " at " + Instant.now() + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    process = builder.start();
  }

  /**
   * Kills the JVM with SIGKILL, as a crash or the kernel's OOM killer would: no shutdown hook, no
   * graceful shutdown, whatever it had in flight is cut off.
   */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " survived SIGKILL");
    }
  }

  /** Starts the service again with the same jar, port and environment, and waits until ready. */
  void restart(Duration timeout) {
    if (process.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady(timeout);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public String toString() {
    return name;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Waits until the readiness probe answers 200, failing early if the process dies. */
  ServiceProcess awaitReady(Duration timeout) {
    await(name + " ready")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    name + " exited with " + process.exitValue() + "; log tail:\n" + logTail());
              }
              return readiness() == 200;
            });
    return this;
  }

  private int readiness() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
              .timeout(Duration.ofSeconds(2))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
