package io.fleetline.ingest.mqtt;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.MqttPasswordHash;
import io.fleetline.ingest.registry.DeviceRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the broker's password file current from the device registry, so that a device logs in with
 * its identifier and token: ingest's own account plus one line per enabled MQTT device or gateway
 * that has a token. Registry changes are gathered for a debounce interval, the file is replaced
 * atomically (a temporary file renamed over it) and the broker is told to re-read it. A device can
 * therefore log in within about a debounce interval plus the registry's delay after it was
 * registered.
 */
@Component
class BrokerPasswordFile implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(BrokerPasswordFile.class);

  /** ingest's password may be chosen by a person, so its hash is made costly to brute-force. */
  static final int ACCOUNT_ITERATIONS = 50_000;

  private final MqttProperties properties;
  private final DeviceRegistry registry;
  private volatile ScheduledExecutorService scheduler;
  private volatile String accountLine;
  private volatile long writtenAtChange = -1;
  private volatile boolean written;
  private volatile String writtenContents;
  private volatile boolean signalPending;
  // System.nanoTime() after which the last signal is sent once more, or 0 when none is due.
  private volatile long repeatSignalAt;

  BrokerPasswordFile(MqttProperties properties, DeviceRegistry registry) {
    this.properties = properties;
    this.registry = registry;
  }

  /** Whether ingest may log in: the file holds its account, or ingest does not manage the file. */
  boolean ready() {
    return written || !properties.writesPasswordFile();
  }

  /** Whether the file was written but the broker not yet told to re-read it. */
  boolean signalPending() {
    return signalPending;
  }

  /** Whether the last signal is still to be sent once more (see {@link #refresh()}). */
  boolean repeatSignalPending() {
    return repeatSignalAt != 0;
  }

  @Override
  public void start() {
    if (!properties.writesPasswordFile()) {
      return;
    }
    String username = properties.username();
    if (!MqttPasswordHash.fitsPasswordFile(username)
        || properties.password() == null
        || properties.password().isEmpty()) {
      throw new IllegalStateException(
          "fleetline.ingest.mqtt.password-file needs ingest's broker username (without ':') and"
              + " password");
    }
    accountLine = username + ":" + MqttPasswordHash.of(properties.password(), ACCOUNT_ITERATIONS);
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mqtt-passwords"));
    long debounceMs = Math.max(50, properties.passwordFileDebounce().toMillis());
    scheduler.scheduleWithFixedDelay(this::refresh, 0, debounceMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Rewrites the file if the devices that may log in changed since the last write, then tells the
   * broker; a failed write or signal is retried on the next run, the signal without rewriting.
   *
   * <p>Mosquitto clears its reload flag only after a reload has finished, so a SIGHUP that arrives
   * while it is still reading the previous file is lost, and a device written then would be refused
   * until the next change. Each signal is therefore sent once more when the writes have settled.
   */
  void refresh() {
    if (!registry.isLoaded()) {
      return;
    }
    long changes = registry.changes();
    if (changes == writtenAtChange && !signalPending) {
      repeatSignalWhenDue();
      return;
    }
    try {
      if (changes != writtenAtChange) {
        String contents = render();
        if (!contents.equals(writtenContents)) {
          replace(Path.of(properties.passwordFile()), contents);
          writtenContents = contents;
          signalPending = true;
        }
        writtenAtChange = changes;
        written = true;
      }
      if (signalPending) {
        signalBroker();
        signalPending = false;
        repeatSignalAt = Math.max(1, System.nanoTime() + settleNanos());
      }
    } catch (IOException | RuntimeException e) {
      log.error("Could not update the MQTT password file {}: {}", properties.passwordFile(), e);
    }
  }

  private void repeatSignalWhenDue() {
    long due = repeatSignalAt;
    if (due == 0 || System.nanoTime() - due < 0) {
      return;
    }
    try {
      signalBroker();
      repeatSignalAt = 0;
    } catch (IOException | RuntimeException e) {
      log.error("Could not signal the MQTT broker again: {}", e.toString());
    }
  }

  /** Long enough for the broker to finish a reload, short enough not to keep a device waiting. */
  private long settleNanos() {
    return Math.max(50, properties.passwordFileDebounce().toMillis()) * 4_000_000L;
  }

  /** The file's contents: ingest's account first, then the devices that may log in. */
  String render() {
    List<String> lines = new ArrayList<>();
    lines.add(accountLine);
    for (DeviceRegistration device : registry.all()) {
      if (mayLogIn(device)) {
        lines.add(device.identifier() + ":" + device.mqttPasswordHash());
      }
    }
    lines.subList(1, lines.size()).sort(null);
    return String.join("\n", lines) + "\n";
  }

  private boolean mayLogIn(DeviceRegistration device) {
    return (device.protocol() == DeviceProtocol.MQTT || device.protocol() == DeviceProtocol.GATEWAY)
        && device.enabled()
        && device.mqttPasswordHash() != null
        && MqttPasswordHash.fitsPasswordFile(device.identifier())
        && MqttPasswordHash.fitsPasswordFile(device.mqttPasswordHash())
        // A device named like ingest's account must never take over its subscribe rights.
        && !device.identifier().equals(properties.username());
  }

  private static void replace(Path file, String contents) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, contents, StandardCharsets.UTF_8);
      keepAccessOf(file, temp);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * The broker may run as another user than ingest: the new file gets the owner, group and mode
   * that the operator gave the old one, or owner read-write and group read when there was none.
   */
  private static void keepAccessOf(Path file, Path temp) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return;
    }
    if (!Files.exists(file)) {
      view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
      return;
    }
    PosixFileAttributes old = Files.readAttributes(file, PosixFileAttributes.class);
    view.setPermissions(old.permissions());
    try {
      view.setGroup(old.group());
      view.setOwner(old.owner());
    } catch (IOException e) {
      log.debug("The MQTT password file keeps ingest as its owner: {}", e.getMessage());
    }
  }

  /** Mosquitto re-reads its password and ACL files on SIGHUP. */
  private void signalBroker() throws IOException {
    if (properties.brokerPidFile() == null || properties.brokerPidFile().isBlank()) {
      return;
    }
    String pid = Files.readString(Path.of(properties.brokerPidFile()), StandardCharsets.US_ASCII);
    pid = pid.strip();
    if (!pid.matches("[1-9][0-9]{0,9}")) {
      throw new IOException("no process id in " + properties.brokerPidFile());
    }
    if (!isMosquitto(Long.parseLong(pid))) {
      throw new IOException(
          "process "
              + pid
              + " of "
              + properties.brokerPidFile()
              + " is not a running mosquitto; not signalled");
    }
    Process kill = new ProcessBuilder("kill", "-HUP", pid).redirectErrorStream(true).start();
    try {
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IOException("kill -HUP " + pid + " did not finish");
      }
      if (kill.exitValue() != 0) {
        throw new IOException(
            "kill -HUP " + pid + " failed: " + new String(kill.getInputStream().readNBytes(500)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling the broker", e);
    }
  }

  /**
   * Whether the process runs mosquitto, so that a stale pid file never makes ingest signal another
   * process: its name in /proc, or where there is none, the command the JVM can see.
   */
  static boolean isMosquitto(long pid) {
    Path comm = Path.of("/proc", Long.toString(pid), "comm");
    try {
      return Files.readString(comm, StandardCharsets.UTF_8).strip().equals("mosquitto");
    } catch (IOException e) {
      if (Files.isDirectory(Path.of("/proc", "self"))) {
        return false;
      }
    }
    return ProcessHandle.of(pid)
        .flatMap(process -> process.info().command())
        .map(command -> Path.of(command).getFileName().toString().equals("mosquitto"))
        .orElse(false);
  }

  @Override
  public void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null && !scheduler.isShutdown();
  }
}
