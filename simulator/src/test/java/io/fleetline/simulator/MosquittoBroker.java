package io.fleetline.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** A real Mosquitto broker on a free loopback port, for the length of a test. */
final class MosquittoBroker implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  private final int port;
  private final Process process;

  MosquittoBroker() throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing; apt-get install -y mosquitto");
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path dir = Files.createDirectories(Path.of("target", "mosquitto"));
    Path config = dir.resolve("mosquitto-" + port + ".conf");
    Files.writeString(
        config,
        "listener "
            + port
            + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
            + "max_inflight_messages 1000\nmax_queued_messages 100000\n");
    config.toFile().setReadable(true, false);
    process =
        new ProcessBuilder(BINARY.toString(), "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto-" + port + ".log").toFile())
            .start();
    Awaitility.await("mosquitto listening on " + port)
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue());
              }
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
