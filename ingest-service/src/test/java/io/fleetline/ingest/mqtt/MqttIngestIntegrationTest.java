package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.MqttPasswordHash;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.publish.RejectedPing;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.testing.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Devices publishing through a real Mosquitto broker that admits only the logins of ingest's
 * password file and enforces the project's ACLs, ingest subscribed, the real Kafka broker behind.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.osmand.enabled=false",
      "fleetline.ingest.mqtt.max-payload-size=32KB",
      "fleetline.ingest.mqtt.unknown-device-hold=" + MqttIngestIntegrationTest.HOLD_SECONDS + "s"
    })
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttIngestIntegrationTest {

  static final int BROKER_LIMIT_BYTES = 64 * 1024;
  static final int HOLD_SECONDS = 8;
  static final MosquittoBroker mosquitto = MosquittoBroker.start(BROKER_LIMIT_BYTES);
  static final UUID VEHICLE = UUID.randomUUID();
  static final UUID OTHER_VEHICLE = UUID.randomUUID();
  static final String TOKEN = DeviceTokens.newToken();
  static final String OTHER_TOKEN = DeviceTokens.newToken();

  @DynamicPropertySource
  static void mqtt(DynamicPropertyRegistry registry) {
    mosquitto.ingestSettings().forEach((name, value) -> registry.add(name, () -> value));
    registry.add("fleetline.ingest.mqtt.client-id", () -> "ingest-test-" + UUID.randomUUID());
  }

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Autowired DeviceRegistry registry;
  @Autowired MqttSubscriber subscriber;

  KafkaTopics topics;
  MqttClient device;

  @BeforeAll
  void connect() throws Exception {
    topics = new KafkaTopics(brokers);
    topics.register(
        mqttDevice(VEHICLE, "tracker-9", TOKEN),
        mqttDevice(OTHER_VEHICLE, "tracker-10", OTHER_TOKEN));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.find(new DeviceKey(DeviceProtocol.MQTT, "tracker-10")).isPresent());
    await().atMost(Duration.ofSeconds(30)).until(subscriber::isSubscribed);
    device = connectOnceAdmitted("tracker-9", TOKEN);
  }

  @AfterAll
  void close() throws Exception {
    device.disconnect();
    device.close();
    mosquitto.close();
  }

  @Test
  void aPingPublishedWithQos1EndsUpInThePingsTopic() throws Exception {
    Instant recordedAt = Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.MILLIS);

    publish(device, "fleetline/devices/tracker-9/pings", ping(recordedAt));

    VehiclePing ping = topics.awaitPing(recordedAt);
    assertThat(ping.vehicleId()).isEqualTo(VEHICLE);
    assertThat(ping.protocol()).isEqualTo("mqtt");
  }

  @Test
  void anArrayPayloadIsABatch() throws Exception {
    Instant t = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS);

    publish(
        device,
        "fleetline/devices/tracker-9/pings",
        "[{\"recordedAt\":\""
            + t
            + "\",\"latitude\":48.1,\"longitude\":11.5},"
            + "{\"recordedAt\":\""
            + t.plusSeconds(1)
            + "\",\"latitude\":48.2,\"longitude\":11.6}]");

    assertThat(topics.awaitPing(t).measurements().latitude()).isEqualTo(48.1);
    assertThat(topics.awaitPing(t.plusSeconds(1)).measurements().latitude()).isEqualTo(48.2);
  }

  @Test
  void anUnreadablePayloadIsRecordedAsRejected() throws Exception {
    publish(device, "fleetline/devices/tracker-9/pings", "not json at all, marker-garbage");

    assertThat(reasonOfRejected("marker-garbage")).isEqualTo("malformed");
  }

  @Test
  void anAnonymousClientCannotConnect() {
    assertThatThrownBy(() -> connect(null, null))
        .isInstanceOfSatisfying(
            MqttSecurityException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
  }

  @Test
  void aDeviceWithAWrongPasswordOrAnotherDevicesTokenCannotConnect() {
    assertThatThrownBy(() -> connect("tracker-9", DeviceTokens.newToken()))
        .isInstanceOf(MqttSecurityException.class);
    assertThatThrownBy(() -> connect("tracker-9", OTHER_TOKEN))
        .isInstanceOf(MqttSecurityException.class);
    assertThatThrownBy(() -> connect(MosquittoBroker.INGEST_USERNAME, TOKEN))
        .isInstanceOf(MqttSecurityException.class);
  }

  @Test
  void aDeviceRegisteredUnderIngestsUsernameCannotLogInWithItsToken() throws Exception {
    String impostorToken = DeviceTokens.newToken();
    String witnessToken = DeviceTokens.newToken();
    topics.register(
        mqttDevice(UUID.randomUUID(), MosquittoBroker.INGEST_USERNAME, impostorToken),
        mqttDevice(UUID.randomUUID(), "tracker-witness", witnessToken));

    // Registered after the impostor: once it may log in, the impostor's registration was seen.
    connectOnceAdmitted("tracker-witness", witnessToken).disconnect();

    assertThat(isRefused(MosquittoBroker.INGEST_USERNAME, impostorToken)).isTrue();
    assertThat(subscriber.isConnected()).as("ingest's own login still works").isTrue();
  }

  @Test
  void aDevicePublishingToAnotherDevicesTopicIsDropped() throws Exception {
    Instant forged = Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.MILLIS);
    Instant own = forged.plusSeconds(1);

    Instant later = own.plusSeconds(1);

    publish(device, "fleetline/devices/tracker-10/pings", ping(forged));
    publish(device, "fleetline/devices/tracker-9/pings", ping(own));

    // The broker handles one connection's publishes in order: once the later one is stored, the
    // forged one was dropped or had reached ingest already. A ping of tracker-10's own that ingest
    // takes after that shares the forged one's partition, so once it is stored the forged one would
    // be stored before it.
    assertThat(topics.awaitPing(own).vehicleId()).isEqualTo(VEHICLE);
    MqttClient other = connectOnceAdmitted("tracker-10", OTHER_TOKEN);
    try {
      publish(other, "fleetline/devices/tracker-10/pings", ping(later));
    } finally {
      other.disconnect();
      other.close();
    }
    assertThat(topics.awaitPing(later).vehicleId()).isEqualTo(OTHER_VEHICLE);
    assertThat(pingsOf(OTHER_VEHICLE))
        .extracting(r -> FleetlineJson.read(r.value(), VehiclePing.class).recordedAt())
        .doesNotContain(forged);
  }

  @Test
  void aDeviceSubscribingToAnyTopicReceivesNothing() throws Exception {
    List<String> eavesdropped = new CopyOnWriteArrayList<>();
    MqttClient other = connectOnceAdmitted("tracker-10", OTHER_TOKEN);
    try {
      other.subscribe("#", 1, (topic, message) -> eavesdropped.add(topic));
      other.subscribe(
          "fleetline/devices/tracker-9/pings", 1, (topic, message) -> eavesdropped.add(topic));
      // The configured group name without the digest of ingest's password that it subscribes with.
      other.subscribe(
          "$share/fleetline-ingest/fleetline/devices/+/pings",
          1,
          (topic, message) -> eavesdropped.add(topic));
      Instant recordedAt = Instant.now().minusSeconds(400).truncatedTo(ChronoUnit.MILLIS);

      publish(device, "fleetline/devices/tracker-9/pings", ping(recordedAt));

      assertThat(topics.awaitPing(recordedAt).vehicleId())
          .as("ingest received it")
          .isEqualTo(VEHICLE);
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(eavesdropped::isEmpty);
    } finally {
      other.disconnectForcibly(1_000);
      other.close();
    }
  }

  @Test
  void aDisabledOrDeletedDeviceIsRefusedOnceTheRegistryChanges() throws Exception {
    String disabledToken = DeviceTokens.newToken();
    String deletedToken = DeviceTokens.newToken();
    DeviceRegistration disabled = mqttDevice(UUID.randomUUID(), "tracker-disabled", disabledToken);
    DeviceRegistration deleted = mqttDevice(UUID.randomUUID(), "tracker-deleted", deletedToken);
    topics.register(disabled, deleted);
    connectOnceAdmitted("tracker-disabled", disabledToken).disconnect();
    connectOnceAdmitted("tracker-deleted", deletedToken).disconnect();

    topics.register(
        new DeviceRegistration(
            disabled.v(),
            disabled.deviceId(),
            disabled.vehicleId(),
            disabled.fleetId(),
            disabled.protocol(),
            disabled.identifier(),
            disabled.tokenSha256(),
            false,
            disabled.mqttPasswordHash()));
    topics.unregister(deleted.key());

    await("the disabled device is refused")
        .atMost(Duration.ofSeconds(30))
        .until(() -> isRefused("tracker-disabled", disabledToken));
    await("the deleted device is refused")
        .atMost(Duration.ofSeconds(30))
        .until(() -> isRefused("tracker-deleted", deletedToken));
  }

  @Test
  void aPayloadOverTheBrokerLimitNeverReachesIngest() throws Exception {
    publish(
        device,
        "fleetline/devices/tracker-9/pings",
        oversized("marker-over-broker", BROKER_LIMIT_BYTES + 1024));
    publish(
        device,
        "fleetline/devices/tracker-9/pings",
        oversized("marker-within-broker", BROKER_LIMIT_BYTES - 1024));

    // Over ingest's own limit, the second is rejected as the first would be were it let through:
    // by the same device, on the same partition, after it. Once the second is stored, the topic
    // holds the first if ingest ever received it.
    topics.await(
        Topics.PINGS_REJECTED,
        r -> new String(r.value(), StandardCharsets.UTF_8).contains("marker-within-broker"),
        1);
    assertThat(recordsContaining(Topics.PINGS_REJECTED, "marker-over-broker")).isEmpty();
  }

  @Test
  void aPayloadOverIngestsLimitIsRejectedAcknowledgedAndNotRedeliveredAfterARestart()
      throws Exception {
    publish(
        device, "fleetline/devices/tracker-9/pings", oversized("marker-over-ingest", 48 * 1024));

    ConsumerRecord<String, byte[]> rejected =
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("marker-over-ingest"),
                1)
            .get(0);
    assertThat(header(rejected, PingHeaders.REJECT_REASON)).isEqualTo("malformed");
    assertThat(rejected.value().length).as("only an excerpt is kept").isEqualTo(8192);
    assertThat(Integer.parseInt(header(rejected, RejectedPing.TRUNCATED_HEADER)))
        .as("the payload's full length")
        .isGreaterThan(48 * 1024);

    subscriber.stop();
    subscriber.start();
    await().atMost(Duration.ofSeconds(30)).until(subscriber::isSubscribed);
    Instant after = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
    publish(device, "fleetline/devices/tracker-9/pings", ping(after));
    topics.awaitPing(after);

    assertThat(recordsContaining(Topics.PINGS_REJECTED, "marker-over-ingest"))
        .as("acknowledged once, not redelivered after the subscriber restarted")
        .hasSize(1);
    assertThat(recordsContaining(Topics.PINGS, "marker-over-ingest")).isEmpty();
  }

  @Test
  void pingsOfADeviceTheBrokerAdmitsBeforeIngestsRegistryKnowsItAreHeldAndStoredInOrder()
      throws Exception {
    String token = DeviceTokens.newToken();
    UUID vehicle = UUID.randomUUID();
    // The broker learns of the device first, as from another ingest instance's password file.
    mosquitto.addAccount("tracker-late", token);
    MqttClient late = connectOnceAdmitted("tracker-late", token);
    Instant first = Instant.now().minusSeconds(700).truncatedTo(ChronoUnit.MILLIS);
    try {
      for (int i = 0; i < 3; i++) {
        publish(late, "fleetline/devices/tracker-late/pings", ping(first.plusSeconds(i)));
      }
      await("the pings are held").atMost(Duration.ofSeconds(30)).until(() -> held() == 3);

      // Its registration reaches ingest's registry a couple of seconds later.
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> held() == 3);
      topics.register(mqttDevice(vehicle, "tracker-late", token));

      assertThat(
              topics.await(Topics.PINGS, r -> r.key().equals(vehicle.toString()), 3).stream()
                  .map(r -> FleetlineJson.read(r.value(), VehiclePing.class).recordedAt()))
          .as("stored in the order they were published")
          .containsExactly(first, first.plusSeconds(1), first.plusSeconds(2));
      assertThat(held()).isZero();
      assertThat(topics.all(Topics.PINGS_REJECTED)).noneMatch(r -> r.key().equals("tracker-late"));
    } finally {
      late.disconnect();
      late.close();
    }
  }

  @Test
  void aPingOfADeviceTheRegistryNeverLearnsOfIsRejectedAsUnknownOnceItsHoldEnds() throws Exception {
    String token = DeviceTokens.newToken();
    mosquitto.addAccount("tracker-never", token);
    MqttClient never = connectOnceAdmitted("tracker-never", token);
    try {
      Instant publishedAt = Instant.now();
      publish(never, "fleetline/devices/tracker-never/pings", ping(publishedAt.minusSeconds(1)));
      await("the ping is held").atMost(Duration.ofSeconds(30)).until(() -> held() == 1);

      ConsumerRecord<String, byte[]> rejected =
          topics.await(Topics.PINGS_REJECTED, r -> r.key().equals("tracker-never"), 1).get(0);

      assertThat(header(rejected, PingHeaders.REJECT_REASON)).isEqualTo("unknown_device");
      assertThat(Instant.parse(header(rejected, PingHeaders.RECEIVED_AT)))
          .as("rejected only when the hold ended")
          .isAfterOrEqualTo(publishedAt.plusSeconds(HOLD_SECONDS).minusMillis(1));
      assertThat(held()).isZero();
    } finally {
      never.disconnect();
      never.close();
    }
  }

  @Test
  void aHeldPingIsNotAcknowledgedSoItComesBackAfterARestartAndIsStored() throws Exception {
    String token = DeviceTokens.newToken();
    UUID vehicle = UUID.randomUUID();
    mosquitto.addAccount("tracker-restart", token);
    MqttClient late = connectOnceAdmitted("tracker-restart", token);
    Instant recordedAt = Instant.now().minusSeconds(800).truncatedTo(ChronoUnit.MILLIS);
    try {
      publish(late, "fleetline/devices/tracker-restart/pings", ping(recordedAt));
      await("the ping is held").atMost(Duration.ofSeconds(30)).until(() -> held() == 1);

      subscriber.stop();
      subscriber.start();
      await().atMost(Duration.ofSeconds(30)).until(subscriber::isSubscribed);
      await("the broker redelivers the ping and it is held again")
          .atMost(Duration.ofSeconds(30))
          .until(() -> held() == 1);
      topics.register(mqttDevice(vehicle, "tracker-restart", token));

      assertThat(topics.awaitPing(recordedAt).vehicleId()).isEqualTo(vehicle);
    } finally {
      late.disconnect();
      late.close();
    }
  }

  private int held() {
    return subscriber.heldMessages();
  }

  private static DeviceRegistration mqttDevice(UUID vehicle, String identifier, String token) {
    return new DeviceRegistration(
        DeviceRegistration.CURRENT_VERSION,
        UUID.randomUUID(),
        vehicle,
        UUID.randomUUID(),
        DeviceProtocol.MQTT,
        identifier,
        DeviceTokens.sha256Hex(token),
        true,
        MqttPasswordHash.of(token, MqttPasswordHash.DEVICE_TOKEN_ITERATIONS));
  }

  /** A device may log in about a debounce interval after its registration reached ingest. */
  private static MqttClient connectOnceAdmitted(String username, String password) {
    MqttClient[] connected = new MqttClient[1];
    await(username + " admitted by the broker")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(MqttSecurityException.class)
        .until(
            () -> {
              connected[0] = connect(username, password);
              return true;
            });
    return connected[0];
  }

  private static MqttClient connect(String username, String password) throws MqttException {
    MqttClient client =
        new MqttClient(mosquitto.url(), "device-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    if (username != null) {
      options.setUserName(username);
      options.setPassword(password.toCharArray());
    }
    try {
      client.connect(options);
      return client;
    } catch (MqttException e) {
      client.close();
      throw e;
    }
  }

  private static boolean isRefused(String username, String password) throws MqttException {
    try {
      MqttClient client = connect(username, password);
      client.disconnect();
      client.close();
      return false;
    } catch (MqttSecurityException e) {
      return true;
    }
  }

  private static void publish(MqttClient client, String topic, String payload) throws Exception {
    client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
  }

  private static String ping(Instant recordedAt) {
    return "{\"recordedAt\":\""
        + recordedAt
        + "\",\"latitude\":48.1,\"longitude\":11.5,\"ignition\":false}";
  }

  /** A well-formed ping whose attributes make the payload about this many bytes long. */
  private static String oversized(String marker, int bytes) {
    return "{\"recordedAt\":\""
        + Instant.now().minusSeconds(30)
        + "\",\"latitude\":48.1,\"longitude\":11.5,\"attributes\":{\"note\":\""
        + marker
        + "x".repeat(bytes)
        + "\"}}";
  }

  private List<ConsumerRecord<String, byte[]>> pingsOf(UUID vehicle) {
    return topics.all(Topics.PINGS).stream()
        .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(vehicle.toString()))
        .toList();
  }

  private List<ConsumerRecord<String, byte[]>> recordsContaining(String topic, String marker) {
    return topics.all(topic).stream()
        .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker))
        .toList();
  }

  private String reasonOfRejected(String marker) {
    return header(
        topics
            .await(
                Topics.PINGS_REJECTED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker),
                1)
            .get(0),
        PingHeaders.REJECT_REASON);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
