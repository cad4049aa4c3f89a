package io.fleetline.simulator;

import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.testing.MosquittoBroker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import tools.jackson.databind.JsonNode;

/**
 * Subscribes to every device topic with ingest's account, as ingest does, and keeps what arrives.
 */
final class MqttRecorder implements AutoCloseable {

  record Message(String topic, JsonNode payload) {}

  final List<Message> messages = new CopyOnWriteArrayList<>();
  private final MqttClient client;

  MqttRecorder(String url) throws MqttException {
    client = new MqttClient(url, "recorder-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setMaxInflight(1000);
    options.setUserName(MosquittoBroker.INGEST_USERNAME);
    options.setPassword(MosquittoBroker.INGEST_PASSWORD.toCharArray());
    client.connect(options);
    client.subscribe(
        "fleetline/devices/+/pings",
        1,
        (topic, message) ->
            messages.add(
                new Message(topic, FleetlineJson.mapper().readTree(message.getPayload()))));
  }

  /** Pings received on a device's topic (arrays counted item by item). */
  int pings(String identifier) {
    return messages.stream()
        .filter(m -> m.topic().equals(MqttUplink.topic(identifier)))
        .mapToInt(m -> m.payload().isArray() ? m.payload().size() : 1)
        .sum();
  }

  @Override
  public void close() throws MqttException {
    client.disconnect();
    client.close();
  }
}
