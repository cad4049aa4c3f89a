package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetline.ingest.publish.IngestAtCapacityException;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.registry.LoadedRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The subscriber's judgement of Kafka's answers, with a broker that is never reached: messages are
 * handed to it as Paho's callback thread would, and the handler's answers are the test's.
 */
class MqttSubscriberTest {

  static final String TOPIC = "fleetline/devices/dev-1/pings";

  final DeviceRegistry registry = LoadedRegistry.of();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Kafka's answers, one per message handed over, completed by the test. */
  final Queue<CompletableFuture<Void>> handedOver = new ConcurrentLinkedQueue<>();

  final MqttPingHandler handler =
      new MqttPingHandler(registry, null, null) {
        @Override
        boolean ready() {
          // Keeps the subscriber from connecting: the test plays the broker's part.
          return false;
        }

        @Override
        CompletableFuture<Void> handle(String identifier, byte[] payload) {
          CompletableFuture<Void> answer = new CompletableFuture<>();
          handedOver.add(answer);
          return answer;
        }
      };

  MqttSubscriber subscriber;

  MqttSubscriber subscriber(String url) {
    MqttProperties properties =
        new MqttProperties(
            url,
            null,
            null,
            "ingest-test",
            "fleetline-ingest",
            "fleetline/devices/+/pings",
            4,
            Duration.ofHours(1),
            DataSize.ofKilobytes(256),
            null,
            Duration.ofMillis(500),
            null,
            Duration.ZERO);
    return new MqttSubscriber(properties, handler, null, null, registry, meters);
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
    handedOver.poll().completeExceptionally(new IngestAtCapacityException("at capacity"));

    await("handed over again").atMost(Duration.ofSeconds(10)).until(() -> !handedOver.isEmpty());
    handedOver.poll().complete(null);

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
    handedOver.poll().complete(null);

    assertThat(acknowledged())
        .as("the broker redelivers it on the next connection, where it is counted")
        .isZero();
    assertThat(notDurable()).isZero();
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
