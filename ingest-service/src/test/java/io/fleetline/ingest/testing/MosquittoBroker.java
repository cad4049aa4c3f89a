package io.fleetline.ingest.testing;

import io.fleetline.common.MqttPasswordHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Mosquitto broker on a free loopback port, started for a test and stopped after it,
 * configured as the project ships it: no anonymous clients, logins from a password file that ingest
 * keeps current ({@link #ingestSettings()}), the ACL file of {@link #ACL} and a message size limit.
 */
public final class MosquittoBroker implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  public static final String INGEST_USERNAME = "fleetline-ingest";
  public static final String INGEST_PASSWORD = "ingest-test-password";
  public static final int DEFAULT_MESSAGE_SIZE_LIMIT = 256 * 1024;

  /**
   * Devices and gateways publish only to their own topic; only ingest's account reads the device
   * and gateway topics.
   */
  public static final String ACL =
      """
      pattern write fleetline/devices/%u/pings
      pattern write fleetline/gateways/%u/pings
      user fleetline-ingest
      topic read fleetline/devices/+/pings
      topic read fleetline/gateways/+/pings
      """;

  private final int port;
  private final Path config;
  private final Path passwordFile;
  private final Path pidFile;
  private Process process;

  private MosquittoBroker(int port, Path config, Path passwordFile, Path pidFile) {
    this.port = port;
    this.config = config;
    this.passwordFile = passwordFile;
    this.pidFile = pidFile;
  }

  public static MosquittoBroker start() {
    return start(DEFAULT_MESSAGE_SIZE_LIMIT);
  }

  /** A broker that silently drops any message whose payload is over this many bytes. */
  public static MosquittoBroker start(int messageSizeLimit) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing; install it with: apt-get install -y mosquitto");
    }
    try {
      Path dir = Files.createDirectories(Path.of("target", "mosquitto")).toAbsolutePath();
      int port = freePort();
      Path config = dir.resolve("mosquitto-" + port + ".conf");
      Path passwords = dir.resolve("passwords-" + port);
      Path acl = dir.resolve("acl-" + port);
      Files.writeString(passwords, ingestAccountLine());
      Files.writeString(acl, ACL);
      Files.writeString(
          config,
          "listener "
              + port
              + " 127.0.0.1\nallow_anonymous false\n"
              + "password_file "
              + passwords
              + "\nacl_file "
              + acl
              + "\nmessage_size_limit "
              + messageSizeLimit
              + "\npersistence false\n"
              + "max_inflight_messages 1000\nmax_queued_messages 100000\n");
      MosquittoBroker broker =
          new MosquittoBroker(port, config, passwords, dir.resolve("mosquitto-" + port + ".pid"));
      broker.launch();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() throws IOException {
    process =
        new ProcessBuilder(BINARY.toString(), "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(config.resolveSibling("mosquitto-" + port + ".log").toFile())
            .start();
    Files.writeString(pidFile, Long.toString(process.pid()));
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

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** The settings with which ingest logs in and keeps this broker's password file current. */
  public Map<String, String> ingestSettings() {
    return Map.of(
        "fleetline.ingest.mqtt.url",
        url(),
        "fleetline.ingest.mqtt.username",
        INGEST_USERNAME,
        "fleetline.ingest.mqtt.password",
        INGEST_PASSWORD,
        "fleetline.ingest.mqtt.password-file",
        passwordFile.toString(),
        "fleetline.ingest.mqtt.broker-pid-file",
        pidFile.toString(),
        "fleetline.ingest.mqtt.password-file-debounce",
        "100ms");
  }

  /**
   * Lets one more account log in, for tests without an ingest that writes the password file. The
   * broker re-reads the file shortly after this returns; connect with a retry.
   */
  public void addAccount(String username, String password) {
    try {
      Files.writeString(
          passwordFile,
          username + ":" + MqttPasswordHash.of(password, 101) + "\n",
          StandardOpenOption.APPEND);
      Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
      if (!hup.waitFor(5, TimeUnit.SECONDS) || hup.exitValue() != 0) {
        throw new IllegalStateException("could not signal mosquitto to reload");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static String ingestAccountLine() {
    return INGEST_USERNAME + ":" + MqttPasswordHash.of(INGEST_PASSWORD, 101) + "\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
