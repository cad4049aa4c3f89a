package io.fleetline.ingest.mqtt;

import io.fleetline.ingest.publish.PingsNotDurableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Subscribes ingest to the device topics (QoS 1, a shared subscription so that several instances
 * split the load) and acknowledges each message to the broker only after its pings are durable in
 * Kafka. When Kafka fails a message it stays unacknowledged, and the client reconnects so that the
 * broker redelivers it from the persistent session. Any other failure of one message, and a payload
 * over the size limit, rejects that message and acknowledges it: a message that cannot be processed
 * must not come back after every reconnect or restart.
 */
@Component
class MqttSubscriber implements SmartLifecycle, MqttCallbackExtended {

  private static final Logger log = LoggerFactory.getLogger(MqttSubscriber.class);

  private final MqttProperties properties;
  private final MqttPingHandler handler;
  private final BrokerPasswordFile passwords;
  private final UnprocessableMessages unprocessable;
  private final MeterRegistry meters;
  private final Semaphore inFlight;
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private volatile MqttAsyncClient client;
  private volatile ThreadPoolExecutor workers;
  private volatile ScheduledExecutorService scheduler;
  private volatile boolean running;

  MqttSubscriber(
      MqttProperties properties,
      MqttPingHandler handler,
      BrokerPasswordFile passwords,
      UnprocessableMessages unprocessable,
      MeterRegistry meters) {
    this.properties = properties;
    this.handler = handler;
    this.passwords = passwords;
    this.unprocessable = unprocessable;
    this.meters = meters;
    this.inFlight = new Semaphore(properties.maxInFlight());
  }

  @Override
  public void start() {
    if (!properties.enabled()) {
      return;
    }
    int threads = Math.max(2, Math.min(32, properties.maxInFlight()));
    workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(properties.maxInFlight()),
            r -> new Thread(r, "mqtt-ingest"));
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mqtt-reconnect"));
    try {
      client = new MqttAsyncClient(properties.url(), clientId(), new MemoryPersistence());
      client.setManualAcks(true);
      client.setCallback(this);
      running = true;
      connectOnceReady();
    } catch (MqttException e) {
      throw new IllegalStateException("cannot create the MQTT client for " + properties.url(), e);
    }
  }

  /**
   * Subscribing before the device registry has loaded would only fetch messages that cannot be
   * judged yet; meanwhile the broker keeps them in this client's persistent session. When ingest
   * writes the broker's password file, its own account is in it only after the first write.
   */
  private void connectOnceReady() {
    if (!running) {
      return;
    }
    if (handler.ready() && passwords.ready()) {
      connect();
    } else {
      scheduler.schedule(this::connectOnceReady, 200, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Connects once; a failure, like a lost connection, schedules the next attempt. Reconnecting is
   * done here alone (Paho's automatic reconnect is off): two reconnect loops on one client collide
   * ("connect already in progress") and can keep a subscriber away from the broker for minutes.
   */
  private void connect() {
    MqttConnectOptions options = new MqttConnectOptions();
    // A persistent session: what we did not acknowledge is redelivered after a reconnect.
    options.setCleanSession(false);
    options.setAutomaticReconnect(false);
    options.setMaxInflight(properties.maxInFlight());
    options.setKeepAliveInterval(30);
    if (properties.username() != null && !properties.username().isBlank()) {
      options.setUserName(properties.username());
      options.setPassword(
          properties.password() == null ? new char[0] : properties.password().toCharArray());
    }
    try {
      client.connect(
          options,
          null,
          new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              // connectComplete subscribes.
            }

            @Override
            public void onFailure(IMqttToken token, Throwable failure) {
              log.warn(
                  "MQTT connect to {} failed, retrying: {}", properties.url(), failure.toString());
              scheduleReconnect();
            }
          });
    } catch (MqttException e) {
      log.warn("MQTT connect to {} failed, retrying: {}", properties.url(), e.getMessage());
      scheduleReconnect();
    }
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    String filter = "$share/" + properties.subscriptionGroup() + "/" + properties.topicFilter();
    try {
      client.subscribe(filter, 1);
      log.info("MQTT subscribed to {} on {}", filter, serverUri);
    } catch (MqttException e) {
      log.error("MQTT subscription to {} failed", filter, e);
    }
    // The session may still hold the subscription of the group's name without its password
    // digest; while it does, every message arrives twice.
    String legacy = "$share/" + properties.shareGroup() + "/" + properties.topicFilter();
    if (!legacy.equals(filter)) {
      try {
        client.unsubscribe(legacy);
      } catch (MqttException e) {
        log.warn("MQTT unsubscribe from {} failed: {}", legacy, e.getMessage());
      }
    }
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
    // Blocking here, on the client's callback thread, stops reading from the broker: the bound
    // on messages in flight is the bound on memory.
    inFlight.acquire();
    try {
      workers.execute(() -> process(topic, message));
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  private void process(String topic, MqttMessage message) {
    String identifier = MqttTopics.deviceIdentifier(properties.topicFilter(), topic);
    byte[] payload = message.getPayload();
    try {
      String result = judge(identifier, payload);
      client.messageArrivedComplete(message.getId(), message.getQos());
      meters.counter("fleetline.ingest.mqtt.messages", "result", result).increment();
    } catch (PingsNotDurableException e) {
      meters.counter("fleetline.ingest.mqtt.messages", "result", "not_durable").increment();
      log.warn("MQTT message on {} not acknowledged, Kafka failed: {}", topic, e.getMessage());
      scheduleReconnect();
    } catch (MqttException | RuntimeException e) {
      // The acknowledgement itself failed: the broker redelivers; storage is idempotent.
      log.warn("MQTT message on {} not acknowledged: {}", topic, e.toString());
    } finally {
      inFlight.release();
    }
  }

  /**
   * Stores or rejects one message and says which; throws only when it may not be acknowledged.
   *
   * @throws PingsNotDurableException when Kafka cannot take the message or its rejection now
   */
  private String judge(String identifier, byte[] payload) {
    long limit = properties.maxPayloadSize().toBytes();
    if (payload.length > limit) {
      unprocessable.reject(
          identifier,
          payload,
          "MQTT payload of " + payload.length + " bytes is over the limit of " + limit + " bytes");
      return "too_large";
    }
    try {
      handler.handle(identifier, payload);
      return "acknowledged";
    } catch (PingsNotDurableException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      log.warn("MQTT message of device '{}' could not be processed: {}", identifier, e.toString());
      unprocessable.reject(
          identifier, payload, "MQTT payload could not be processed: " + e.getClass().getName());
      return "unprocessable";
    }
  }

  /** Reconnecting is how an MQTT 3.1.1 client asks the broker to resend unacknowledged messages. */
  private void scheduleReconnect() {
    if (!running || !reconnecting.compareAndSet(false, true)) {
      return;
    }
    scheduler.schedule(
        () -> {
          try {
            if (client.isConnected()) {
              client.disconnectForcibly(1_000, 1_000);
            }
          } catch (MqttException e) {
            log.debug("MQTT disconnect: {}", e.getMessage());
          }
          reconnecting.set(false);
          if (running) {
            connect();
          }
        },
        properties.reconnectDelay().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void connectionLost(Throwable cause) {
    log.warn("MQTT connection to {} lost: {}", properties.url(), cause.toString());
    scheduleReconnect();
  }

  @Override
  public void deliveryComplete(IMqttDeliveryToken token) {
    // ingest only subscribes
  }

  @Override
  public void stop() {
    running = false;
    if (client == null) {
      return;
    }
    try {
      scheduler.shutdownNow();
      workers.shutdown();
      workers.awaitTermination(10, TimeUnit.SECONDS);
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
      client.close();
    } catch (MqttException e) {
      log.debug("MQTT shutdown: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Whether the client is connected now; false when MQTT is switched off. */
  boolean isConnected() {
    return client != null && client.isConnected();
  }

  private String clientId() {
    if (properties.clientId() != null && !properties.clientId().isBlank()) {
      return properties.clientId();
    }
    try {
      return "fleetline-ingest-" + InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "fleetline-ingest-" + ProcessHandle.current().pid();
    }
  }
}
