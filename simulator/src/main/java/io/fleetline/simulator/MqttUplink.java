package io.fleetline.simulator;

import io.fleetline.common.DeviceTokens;
import io.fleetline.simulator.truth.Answers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT: the JSON pings (one or an array) published with QoS 1 to {@code
 * fleetline/devices/{identifier}/pings}; the PUBACK comes once ingest made them durable. Each
 * device logs in as itself (username = identifier, password = the token from its registration),
 * since the broker lets a device publish only to its own topic; at most {@code maxOpen} connections
 * stay open, the least recently used closing first.
 */
final class MqttUplink implements Uplink {

  private final String url;
  private final String runId;
  private final int maxOpen;
  private final Retry retry;
  private final Map<String, Connection> open = new LinkedHashMap<>(16, 0.75f, true);

  /** One device's client connection; a fresh client replaces it after a failure. */
  private static final class Connection {
    private final String url;
    private final String clientId;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private MqttClient client;
    private boolean closed;

    Connection(String url, String clientId, String username, String password) {
      this.url = url;
      this.clientId = clientId;
      options.setCleanSession(true);
      options.setAutomaticReconnect(false);
      options.setMaxInflight(1000);
      options.setConnectionTimeout(10);
      options.setKeepAliveInterval(30);
      options.setUserName(username);
      options.setPassword(password == null ? new char[0] : password.toCharArray());
    }

    /** Publishes with QoS 1 and returns once the PUBACK arrived. */
    synchronized void publish(String topic, byte[] payload) throws MqttException, IOException {
      connect();
      client.publish(topic, payload, 1, false);
    }

    synchronized void connect() throws MqttException, IOException {
      if (closed) {
        throw new IOException("connection " + clientId + " was closed to make room");
      }
      if (client == null) {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setTimeToWait(30_000);
      }
      if (!client.isConnected()) {
        client.connect(options);
      }
    }

    /** Closes the client; a later publish opens a new one unless {@code forGood}. */
    synchronized void close(boolean forGood) {
      closed |= forGood;
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

  MqttUplink(String url, String runId, int maxOpen, Retry retry) {
    this.url = url;
    this.runId = runId;
    this.maxOpen = Math.max(1, maxOpen);
    this.retry = retry;
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
        outcomes[i] = logInUnknown(device);
        continue;
      }
      body.append(batch.isEmpty() ? "" : ",")
          .append(JsonPingFormat.item(item.reading(), item.invalid()));
      batch.add(i);
    }
    if (!batch.isEmpty()) {
      byte[] payload = body.append(']').toString().getBytes(StandardCharsets.UTF_8);
      boolean done = publish(device, payload);
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

  /** A device registered nowhere tries to log in; the broker must refuse it. */
  private Outcome logInUnknown(Device device) throws InterruptedException {
    String identifier = InvalidKind.unknownIdentifier(Protocol.MQTT, device.identifier());
    Outcome outcome =
        retry.run(
            () -> {
              Connection stranger =
                  new Connection(
                      url,
                      "fleetline-sim-" + runId + "-" + identifier,
                      identifier,
                      DeviceTokens.newToken());
              try {
                stranger.connect();
                return new Outcome(true, Answers.PUBACK, "logged in");
              } catch (MqttSecurityException e) {
                return new Outcome(true, Answers.LOGIN_REFUSED, null);
              } catch (MqttException e) {
                throw new IOException("MQTT connect as " + identifier + " failed: " + e, e);
              } finally {
                stranger.close(true);
              }
            });
    return outcome == null ? Outcome.failed() : outcome;
  }

  /**
   * A device registered a moment ago may not be in the broker's password file yet: a refused login
   * is retried like any other failure.
   */
  private boolean publish(Device device, byte[] payload) throws InterruptedException {
    String topic = topic(device.identifier());
    Boolean done =
        retry.run(
            () -> {
              Connection connection = connectionOf(device);
              try {
                connection.publish(topic, payload);
                return true;
              } catch (MqttException e) {
                connection.close(false); // the next attempt connects afresh
                throw new IOException("MQTT publish to " + topic + " failed: " + e, e);
              }
            });
    return done != null;
  }

  private Connection connectionOf(Device device) {
    synchronized (open) {
      Connection connection = open.get(device.identifier());
      if (connection == null) {
        connection =
            new Connection(
                url,
                "fleetline-sim-" + runId + "-" + device.identifier(),
                device.identifier(),
                device.token());
        open.put(device.identifier(), connection);
      }
      Iterator<Connection> eldest = open.values().iterator();
      while (open.size() > maxOpen) {
        eldest.next().close(true);
        eldest.remove();
      }
      return connection;
    }
  }

  @Override
  public void close() {
    synchronized (open) {
      open.values().forEach(c -> c.close(true));
      open.clear();
    }
  }
}
