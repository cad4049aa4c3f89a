package io.fleetline.simulator;

import io.fleetline.simulator.truth.Answers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT: the JSON pings (one or an array) published with QoS 1 to {@code
 * fleetline/devices/{identifier}/pings}; the PUBACK comes once ingest made them durable. A handful
 * of connections is shared by all devices, as a gateway would, rather than one per vehicle.
 */
final class MqttUplink implements Uplink {

  private final BlockingQueue<Connection> idle;
  private final List<Connection> all = new ArrayList<>();
  private final Retry retry;

  /** One client connection; a fresh client replaces it after a failure. */
  private static final class Connection {
    private final String url;
    private final String clientId;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private MqttClient client;

    Connection(String url, String clientId, String username, String password) {
      this.url = url;
      this.clientId = clientId;
      options.setCleanSession(true);
      options.setAutomaticReconnect(false);
      options.setMaxInflight(1000);
      options.setConnectionTimeout(10);
      options.setKeepAliveInterval(30);
      if (username != null && !username.isBlank()) {
        options.setUserName(username);
        options.setPassword(password == null ? new char[0] : password.toCharArray());
      }
    }

    /** Publishes with QoS 1 and returns once the PUBACK arrived. */
    void publish(String topic, byte[] payload) throws MqttException {
      if (client == null) {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setTimeToWait(30_000);
      }
      if (!client.isConnected()) {
        client.connect(options);
      }
      client.publish(topic, payload, 1, false);
    }

    void close() {
      MqttClient current = client;
      client = null;
      if (current == null) {
        return;
      }
      try {
        if (current.isConnected()) {
          current.disconnect(2_000);
        }
      } catch (MqttException e) {
        // closing anyway
      }
      try {
        current.close(true);
      } catch (MqttException e) {
        // already closed
      }
    }
  }

  MqttUplink(
      String url, String username, String password, String runId, int connections, Retry retry) {
    this.retry = retry;
    this.idle = new ArrayBlockingQueue<>(connections);
    for (int i = 0; i < connections; i++) {
      Connection c = new Connection(url, "fleetline-sim-" + runId + "-" + i, username, password);
      all.add(c);
      idle.add(c);
    }
  }

  static String topic(String identifier) {
    return "fleetline/devices/" + identifier + "/pings";
  }

  @Override
  public int maxBatch() {
    return 1000;
  }

  @Override
  public Reading carried(Reading reading) {
    return JsonPingFormat.carried(reading);
  }

  @Override
  public List<Outcome> send(Device device, List<Outgoing> items) throws InterruptedException {
    Outcome[] outcomes = new Outcome[items.size()];
    StringBuilder body = new StringBuilder(items.size() * 220).append('[');
    List<Integer> batch = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Outgoing item = items.get(i);
      if (item.invalid() == InvalidKind.UNKNOWN_DEVICE) {
        byte[] single = JsonPingFormat.item(item.reading(), null).getBytes(StandardCharsets.UTF_8);
        boolean done =
            publish(
                topic(InvalidKind.unknownIdentifier(Protocol.MQTT, device.identifier())), single);
        outcomes[i] = done ? new Outcome(true, Answers.PUBACK, null) : Outcome.failed();
        continue;
      }
      body.append(batch.isEmpty() ? "" : ",")
          .append(JsonPingFormat.item(item.reading(), item.invalid()));
      batch.add(i);
    }
    if (!batch.isEmpty()) {
      byte[] payload = body.append(']').toString().getBytes(StandardCharsets.UTF_8);
      boolean done = publish(topic(device.identifier()), payload);
      for (int i : batch) {
        outcomes[i] =
            !done
                ? Outcome.failed()
                : items.get(i).isValid()
                    ? Outcome.accepted()
                    : new Outcome(true, Answers.PUBACK, null);
      }
    }
    return Collections.unmodifiableList(java.util.Arrays.asList(outcomes));
  }

  private boolean publish(String topic, byte[] payload) throws InterruptedException {
    Boolean done =
        retry.run(
            () -> {
              Connection connection = idle.take();
              try {
                connection.publish(topic, payload);
                return true;
              } catch (MqttException e) {
                connection.close(); // the next attempt connects afresh
                throw new IOException("MQTT publish to " + topic + " failed: " + e, e);
              } finally {
                idle.add(connection);
              }
            });
    return done != null;
  }

  @Override
  public void close() {
    all.forEach(Connection::close);
  }
}
