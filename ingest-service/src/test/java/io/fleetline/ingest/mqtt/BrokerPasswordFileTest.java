package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.MqttPasswordHash;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.registry.LoadedRegistry;
import io.fleetline.ingest.testing.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class BrokerPasswordFileTest {

  @TempDir Path dir;

  private BrokerPasswordFile passwordFile(DeviceRegistry registry, Path pidFile) {
    MqttProperties properties =
        new MqttProperties(
            "tcp://127.0.0.1:1",
            "fleetline-ingest",
            "ingest-password",
            "ingest-1",
            "fleetline-ingest",
            "fleetline/devices/+/pings",
            "fleetline/gateways/+/pings",
            256,
            Duration.ofSeconds(5),
            DataSize.ofKilobytes(256),
            dir.resolve("passwords").toString(),
            Duration.ofMillis(100),
            pidFile.toString(),
            Duration.ofSeconds(10));
    BrokerPasswordFile file = new BrokerPasswordFile(properties, registry);
    file.start();
    file.stop();
    return file;
  }

  private static DeviceRegistration device(DeviceProtocol protocol, String identifier) {
    return new DeviceRegistration(
        DeviceRegistration.CURRENT_VERSION,
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        protocol,
        identifier,
        "ab".repeat(32),
        true,
        protocol == DeviceProtocol.MQTT ? MqttPasswordHash.of("device-password", 101) : null);
  }

  @Test
  void aFailedSignalAfterAWriteLetsIngestLogInAndRetriesOnlyTheSignal() throws Exception {
    DeviceRegistry registry = LoadedRegistry.of(device(DeviceProtocol.MQTT, "truck-1"));
    Path pidFile = Files.writeString(dir.resolve("broker.pid"), "999999999");
    BrokerPasswordFile file = passwordFile(registry, pidFile);
    Path passwords = dir.resolve("passwords");

    file.refresh();

    assertThat(passwords).exists();
    assertThat(Files.readString(passwords)).contains("truck-1:");
    assertThat(file.ready()).isTrue();
    assertThat(file.signalPending()).isTrue();

    Files.delete(passwords);
    file.refresh();
    assertThat(passwords).as("the file is not rewritten to retry the signal").doesNotExist();
    assertThat(file.signalPending()).isTrue();

    try (MosquittoBroker broker = MosquittoBroker.start()) {
      Path brokerPidFile =
          Path.of(broker.ingestSettings().get("fleetline.ingest.mqtt.broker-pid-file"));
      Files.copy(brokerPidFile, pidFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      file.refresh();
      assertThat(file.signalPending()).isFalse();
      assertThat(passwords).doesNotExist();
    }
  }

  @Test
  void eachSignalIsSentOnceMoreWhenTheWritesHaveSettledSinceTheBrokerDropsOneDuringAReload()
      throws Exception {
    DeviceRegistry registry = LoadedRegistry.of(device(DeviceProtocol.MQTT, "truck-1"));
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      Path pidFile = Path.of(broker.ingestSettings().get("fleetline.ingest.mqtt.broker-pid-file"));
      BrokerPasswordFile file = passwordFile(registry, pidFile);

      file.refresh();
      assertThat(file.signalPending()).isFalse();
      assertThat(file.repeatSignalPending()).as("a second signal is due later").isTrue();

      await("the second signal")
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                file.refresh();
                return !file.repeatSignalPending();
              });
      Path log = pidFile.resolveSibling(pidFile.getFileName().toString().replace(".pid", ".log"));
      await("the broker reloaded twice")
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(log).split("Reloading config", -1).length - 1 >= 2);

      file.refresh();
      assertThat(file.repeatSignalPending()).as("nothing changed: no further signal").isFalse();
    }
  }

  @Test
  void aPidFileNamingAnotherProcessIsNotSignalled() throws Exception {
    // Were this JVM sent SIGHUP, it would shut down.
    Path pidFile =
        Files.writeString(dir.resolve("broker.pid"), Long.toString(ProcessHandle.current().pid()));
    BrokerPasswordFile file = passwordFile(LoadedRegistry.of(), pidFile);

    file.refresh();

    assertThat(BrokerPasswordFile.isMosquitto(ProcessHandle.current().pid())).isFalse();
    assertThat(file.signalPending()).isTrue();
    assertThat(dir.resolve("passwords")).exists();
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      long pid =
          Long.parseLong(
              Files.readString(
                      Path.of(broker.ingestSettings().get("fleetline.ingest.mqtt.broker-pid-file")))
                  .strip());
      assertThat(BrokerPasswordFile.isMosquitto(pid)).isTrue();
    }
  }

  @Test
  void aRegistryChangeThatLeavesTheFileAsItWasNeitherWritesNorSignals() throws Exception {
    DeviceRegistry registry = LoadedRegistry.of(device(DeviceProtocol.MQTT, "truck-1"));
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      Path pidFile = Path.of(broker.ingestSettings().get("fleetline.ingest.mqtt.broker-pid-file"));
      BrokerPasswordFile file = passwordFile(registry, pidFile);
      Path passwords = dir.resolve("passwords");
      file.refresh();
      assertThat(passwords).exists();
      assertThat(file.signalPending()).isFalse();
      Files.delete(passwords);

      DeviceRegistration http = device(DeviceProtocol.HTTP, "phone-1");
      LoadedRegistry.apply(registry, http.key(), http);
      file.refresh();
      assertThat(passwords).as("an HTTP device changes nothing in the file").doesNotExist();

      DeviceRegistration mqtt = device(DeviceProtocol.MQTT, "truck-2");
      LoadedRegistry.apply(registry, mqtt.key(), mqtt);
      file.refresh();
      assertThat(Files.readString(passwords)).contains("truck-1:").contains("truck-2:");
      assertThat(file.signalPending()).isFalse();
    }
  }
}
