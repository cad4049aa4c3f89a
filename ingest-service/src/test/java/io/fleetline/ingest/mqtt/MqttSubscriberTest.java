package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetline.ingest.publish.IngestAtCapacityException;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.registry.LoadedRegistry;
import io.fleetline.ingest.testing.MosquittoBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The subscriber's judgement of Kafka's answers, with a broker that is never reached: messages are
 * handed to it as Paho's callback thread would, and the handler's answers are the test's.
 */
class MqttSubscriberTest {

  static final String TOPIC = "fleetline/devices/dev-1/pings";
  static final String TOPIC_1 = "fleetline/devices/tracker-1/pings";

  final DeviceRegistry registry = LoadedRegistry.of();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** A message handed over, with Kafka's answer, completed by the test. */
  record HandedOver(String payload, CompletableFuture<Void> answer) {}

  final Queue<HandedOver> handedOver = new ConcurrentLinkedQueue<>();

  volatile boolean handlerReady;

  final MqttPingHandler handler =
      new MqttPingHandler(registry, null, null, null) {
        @Override
        boolean ready() {
          // Unless a test has a broker, this keeps the subscriber from connecting: the test plays
          // the broker's part.
          return handlerReady;
        }

        @Override
        CompletableFuture<Void> handle(String identifier, byte[] payload) {
          CompletableFuture<Void> answer = new CompletableFuture<>();
          handedOver.add(new HandedOver(new String(payload, StandardCharsets.UTF_8), answer));
          return answer;
        }
      };

  MqttSubscriber subscriber;

  MqttSubscriber subscriber(String url) {
    return subscriber(url, null, null, Duration.ofHours(1));
  }

  MqttSubscriber subscriber(String url, String username, String password, Duration reconnectDelay) {
    MqttProperties properties =
        new MqttProperties(
            url,
            username,
            password,
            "ingest-test-" + UUID.randomUUID(),
            "fleetline-ingest",
            "fleetline/devices/+/pings",
            "fleetline/gateways/+/pings",
            4,
            reconnectDelay,
            DataSize.ofKilobytes(256),
            null,
            Duration.ofMillis(500),
            null,
            Duration.ZERO);
    return new MqttSubscriber(
        properties, handler, new BrokerPasswordFile(properties, registry), null, registry, meters);
  }

  @AfterEach
  void stop() {
    if (subscriber != null) {
      subscriber.stop();
    }
  }

  double acknowledged() {
    return meters.counter("fleetline.ingest.mqtt.messages", "result", "acknowledged").count();
  }

  double notDurable() {
    return meters.counter("fleetline.ingest.mqtt.messages", "result", "not_durable").count();
  }

  static MqttMessage message(String payload) {
    return new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMessageRefusedAtCapacityIsJudgedAgainShortlyInsteadOfReconnecting() throws Exception {
    subscriber = subscriber(unreachableBroker());
    subscriber.start();

    subscriber.messageArrived(TOPIC, message("{}"));
    handedOver.poll().answer().completeExceptionally(new IngestAtCapacityException("at capacity"));

    await("handed over again").atMost(Duration.ofSeconds(10)).until(() -> !handedOver.isEmpty());
    handedOver.poll().answer().complete(null);

    await("acknowledged once stored")
        .atMost(Duration.ofSeconds(10))
        .until(() -> acknowledged() == 1);
    assertThat(notDurable()).as("a refusal at capacity is not Kafka failing").isZero();
  }

  @Test
  void aMessageOfAReplacedConnectionIsNotCountedAsAcknowledgedWhenKafkaStoresIt() throws Exception {
    subscriber = subscriber(unreachableBroker());
    subscriber.start();
    subscriber.messageArrived(TOPIC, message("{}"));

    subscriber.connectionLost(new IOException("broker went away"));
    handedOver.poll().answer().complete(null);

    assertThat(acknowledged())
        .as("the broker redelivers it on the next connection, where it is counted")
        .isZero();
    assertThat(notDurable()).isZero();
  }

  @Test
  void afterARestartThatDroppedAPendingReconnectAKafkaFailureStillReconnectsForRedelivery()
      throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      broker.addAccount("tracker-1", "tracker-secret");
      handlerReady = true;
      subscriber =
          subscriber(
              broker.url(),
              MosquittoBroker.INGEST_USERNAME,
              MosquittoBroker.INGEST_PASSWORD,
              Duration.ofMillis(200));
      subscriber.start();
      MqttClient device = deviceConnected(broker);
      // Subscribed for certain once a message got through; its session keeps the subscription.
      await("subscribed")
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                device.publish(TOPIC_1, message("warm-up"));
                return handedOver.stream().anyMatch(m -> m.payload().equals("warm-up"));
              });
      storeEverythingHandedOver();

      // A reconnect is pending when ingest stops; the stop drops it.
      subscriber.connectionLost(new IOException("broker went away"));
      subscriber.stop();
      subscriber.start();
      await("connected again").atMost(Duration.ofSeconds(20)).until(subscriber::isConnected);

      device.publish(TOPIC_1, message("after-restart"));
      answerWhenHandedOver("after-restart")
          .completeExceptionally(new PingsNotDurableException("Kafka is away", null));

      answerWhenHandedOver("after-restart").complete(null);
      device.disconnect();
      device.close();
      subscriber.stop();
      subscriber = null;
    }
  }

  private void storeEverythingHandedOver() {
    for (HandedOver message; (message = handedOver.poll()) != null; ) {
      message.answer().complete(null);
    }
  }

  /** The answer to the next copy of this payload handed over; others before it are stored. */
  private CompletableFuture<Void> answerWhenHandedOver(String payload) {
    AtomicReference<CompletableFuture<Void>> found = new AtomicReference<>();
    await(payload + " handed over")
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              for (HandedOver next; found.get() == null && (next = handedOver.poll()) != null; ) {
                if (next.payload().equals(payload)) {
                  found.set(next.answer());
                } else {
                  next.answer().complete(null);
                }
              }
              return found.get() != null;
            });
    return found.get();
  }

  private static MqttClient deviceConnected(MosquittoBroker broker) {
    MqttClient[] device = new MqttClient[1];
    await("the device's account read by the broker")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              MqttClient client =
                  new MqttClient(broker.url(), "tracker-1", new MemoryPersistence());
              MqttConnectOptions options = new MqttConnectOptions();
              options.setUserName("tracker-1");
              options.setPassword("tracker-secret".toCharArray());
              try {
                client.connect(options);
              } catch (MqttException e) {
                client.close();
                throw e;
              }
              device[0] = client;
              return true;
            });
    return device[0];
  }

  @Test
  void aStartThatFailsOnTheBrokersUrlLeavesNoThreadBehind() {
    long before = holdThreads();
    subscriber = subscriber("not a broker url");

    assertThatThrownBy(subscriber::start).isInstanceOf(IllegalArgumentException.class);

    assertThat(holdThreads()).as("nothing that would keep the JVM from exiting").isEqualTo(before);
  }

  private static long holdThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals("mqtt-hold") && thread.isAlive())
        .count();
  }

  private static String unreachableBroker() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "tcp://127.0.0.1:" + socket.getLocalPort();
    }
  }
}
