package io.fleetline.ingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;

/**
 * A real Kafka broker (KRaft, combined broker and controller) in a JVM of its own, from the jars on
 * the test classpath, so that a test can stop it and start it again on the same port with its data
 * intact — what an outage looks like to ingest.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

  private final Path dir;
  private final int port;
  private Process process;

  private KafkaBrokerProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Formats fresh storage and starts the broker. */
  public static KafkaBrokerProcess start() {
    return start(Map.of());
  }

  /**
   * Formats fresh storage and starts the broker with {@code settings} overriding the defaults below
   * (e.g. the local stack's {@code auto.create.topics.enable=false}).
   */
  public static KafkaBrokerProcess start(Map<String, String> settings) {
    try {
      int port = freePort();
      int controllerPort = freePort();
      KafkaBrokerProcess broker =
          format(
              1,
              port,
              controllerPort,
              "1@127.0.0.1:" + controllerPort,
              settings,
              randomClusterId());
      broker.start0();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the configuration of node {@code nodeId} (broker and controller, listening on {@code
   * port} and {@code controllerPort}, voting in {@code quorumVoters}) into fresh storage and
   * formats it for {@code clusterId}; {@link #launch()} then starts it.
   */
  static KafkaBrokerProcess format(
      int nodeId,
      int port,
      int controllerPort,
      String quorumVoters,
      Map<String, String> settings,
      String clusterId)
      throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "kafka-" + UUID.randomUUID()));
    Files.writeString(
        dir.resolve("server.properties"),
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=" + nodeId,
            "controller.quorum.voters=" + quorumVoters,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + dir.toAbsolutePath().resolve("data"),
            "num.partitions=2",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "broker.heartbeat.interval.ms=500",
            "broker.session.timeout.ms=3000",
            ""));
    // Later lines of a properties file win over earlier ones.
    StringBuilder overrides = new StringBuilder();
    settings.forEach((key, value) -> overrides.append(key).append('=').append(value).append('\n'));
    Files.writeString(
        dir.resolve("server.properties"), overrides, java.nio.file.StandardOpenOption.APPEND);
    KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, port);
    broker.run(
        List.of(
            "kafka.tools.StorageTool",
            "format",
            "--config",
            dir.resolve("server.properties").toString(),
            "--cluster-id=" + clusterId),
        true);
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Stops the broker the way an orchestrator would (SIGTERM), keeping its data. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    Awaitility.await("port " + port + " released")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !listening());
  }

  /** Kills the broker with SIGKILL, as a crash or the OOM killer would, keeping its data. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
    Awaitility.await("port " + port + " released")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !listening());
  }

  /** Starts the stopped broker again on the same port with the same data. */
  public void restart() {
    start0();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }

  private void start0() {
    launch();
    awaitStarted();
  }

  /** Starts the process without waiting: a node of a quorum starts only once the others run. */
  void launch() {
    process = run(List.of("kafka.Kafka", dir.resolve("server.properties").toString()), false);
  }

  /** Waits until the broker listens and answers metadata requests. */
  void awaitStarted() {
    Awaitility.await("Kafka broker on " + port)
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "Kafka exited with "
                        + process.exitValue()
                        + ", see "
                        + dir.resolve("broker.log"));
              }
              return listening() && answersMetadata();
            });
  }

  private boolean answersMetadata() {
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", bootstrapServers(), "request.timeout.ms", 2000))) {
      return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Process run(List<String> mainAndArgs, boolean waitForExit) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path")));
    command.addAll(mainAndArgs);
    try {
      Process started =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
              .start();
      if (waitForExit) {
        if (!started.waitFor(60, TimeUnit.SECONDS) || started.exitValue() != 0) {
          throw new IllegalStateException(
              mainAndArgs.get(0) + " failed, see " + dir.resolve("broker.log"));
        }
      }
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String randomClusterId() {
    UUID uuid = UUID.randomUUID();
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
