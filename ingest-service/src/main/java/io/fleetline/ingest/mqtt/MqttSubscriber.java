package io.fleetline.ingest.mqtt;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.ingest.publish.IngestAtCapacityException;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * broker redelivers it from the persistent session; a message refused because ingest is at capacity
 * (nothing of it sent) is judged again shortly instead. Any other failure of one message, and a
 * payload over the size limit, rejects that message and acknowledges it: a message that cannot be
 * processed must not come back after every reconnect or restart.
 *
 * <p>No thread waits for Kafka: a message is judged on the client's callback thread as it arrives
 * and handed to Kafka, and the acknowledgement is sent from Kafka's completion, on the producer's
 * network thread. Paho's {@code messageArrivedComplete} only queues the PUBACK for its sender
 * thread (under a lock held for queue operations alone), so it is safe to call there.
 *
 * <p>Messages of devices the registry does not know yet are held ({@link UnknownDeviceHold}) on
 * their permits of the in-flight bound, and re-checked on a timer and whenever the registry
 * changes, on a thread of their own.
 */
@Component
class MqttSubscriber implements SmartLifecycle, MqttCallbackExtended {

  private static final Logger log = LoggerFactory.getLogger(MqttSubscriber.class);

  private static final String ACKNOWLEDGED = "acknowledged";
  private static final String TOO_LARGE = "too_large";
  private static final String UNPROCESSABLE = "unprocessable";
  private static final String NOT_DURABLE = "not_durable";

  /**
   * How soon a message refused at capacity is judged again; Kafka's answers free room meanwhile.
   */
  private static final long CAPACITY_RETRY_MS = 100;

  private final MqttProperties properties;
  private final MqttPingHandler handler;
  private final BrokerPasswordFile passwords;
  private final UnprocessableMessages unprocessable;
  private final DeviceRegistry registry;
  private final Map<String, Counter> outcomes;
  private final Semaphore inFlight;
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  // Refused at capacity, each on its permit, waiting to be judged again.
  private final Queue<MqttArrival> awaitingCapacity = new ConcurrentLinkedQueue<>();
  // Which connection a message arrived on: its message id means something on that one alone.
  private final AtomicLong connection = new AtomicLong();

  /** The connection whose subscriptions the broker confirmed (SUBACK); 0 before any. */
  private volatile long subscribedConnection;

  private volatile MqttAsyncClient client;
  private volatile ScheduledExecutorService scheduler;
  private volatile UnknownDeviceHold hold;
  private volatile boolean running;

  MqttSubscriber(
      MqttProperties properties,
      MqttPingHandler handler,
      BrokerPasswordFile passwords,
      UnprocessableMessages unprocessable,
      DeviceRegistry registry,
      MeterRegistry meters) {
    this.properties = properties;
    this.handler = handler;
    this.passwords = passwords;
    this.unprocessable = unprocessable;
    this.registry = registry;
    this.outcomes =
        Map.of(
            ACKNOWLEDGED, outcomeCounter(meters, ACKNOWLEDGED),
            TOO_LARGE, outcomeCounter(meters, TOO_LARGE),
            UNPROCESSABLE, outcomeCounter(meters, UNPROCESSABLE),
            NOT_DURABLE, outcomeCounter(meters, NOT_DURABLE));
    this.inFlight = new Semaphore(properties.maxInFlight());
    registry.onChange(this::registryChanged);
    meters.gauge("fleetline.ingest.mqtt.held", this, MqttSubscriber::heldMessages);
  }

  private static Counter outcomeCounter(MeterRegistry meters, String result) {
    return meters.counter("fleetline.ingest.mqtt.messages", "result", result);
  }

  @Override
  public void start() {
    if (!properties.enabled()) {
      return;
    }
    // The client first: a start that fails on the broker's URL leaves no thread behind.
    MqttAsyncClient created;
    try {
      created = new MqttAsyncClient(properties.url(), clientId(), new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalStateException("cannot create the MQTT client for " + properties.url(), e);
    }
    created.setManualAcks(true);
    created.setCallback(this);
    client = created;
    // A reconnect still pending when the last run stopped was dropped with its thread.
    reconnecting.set(false);
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mqtt-reconnect"));
    startHold();
    running = true;
    connectOnceReady();
  }

  private void startHold() {
    hold =
        new UnknownDeviceHold(
            registry,
            properties.unknownDeviceHold(),
            properties.maxInFlight() / 2,
            this::isStale,
            this::judgeReleased,
            System::nanoTime);
    hold.start();
  }

  private void registryChanged(DeviceKey key) {
    UnknownDeviceHold current = hold;
    if (key.protocol() == DeviceProtocol.MQTT && current != null) {
      current.recheckSoon();
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
    connection.incrementAndGet();
    // Held messages of the lost connection come again on this one.
    hold.recheckSoon();
    String filter = "$share/" + properties.subscriptionGroup() + "/" + properties.topicFilter();
    String gateways =
        "$share/" + properties.subscriptionGroup() + "/" + properties.gatewayTopicFilter();
    long current = connection.get();
    try {
      client.subscribe(
          new String[] {filter, gateways},
          new int[] {1, 1},
          null,
          new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              subscribedConnection = current;
            }

            @Override
            public void onFailure(IMqttToken token, Throwable failure) {
              log.error("MQTT subscription to {} and {} refused", filter, gateways, failure);
            }
          });
      log.info("MQTT subscribing to {} and {} on {}", filter, gateways, serverUri);
    } catch (MqttException e) {
      log.error("MQTT subscription to {} and {} failed", filter, gateways, e);
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
    if (!running) {
      // Stopping: left unacknowledged, the broker redelivers it to the next session.
      inFlight.release();
      return;
    }
    String gateway = MqttTopics.deviceIdentifier(properties.gatewayTopicFilter(), topic);
    MqttArrival arrival =
        gateway != null
            ? new MqttArrival(gateway, message, connection.get(), true)
            : new MqttArrival(
                MqttTopics.deviceIdentifier(properties.topicFilter(), topic),
                message,
                connection.get());
    if (!hold.offer(arrival)) {
      judge(arrival);
    } else if (hold.overCapacity()) {
      hold.recheckSoon();
    }
  }

  /** A message of a lost connection, or arrived while stopping: the broker redelivers it. */
  private boolean isStale(MqttArrival arrival) {
    return !running || arrival.connection() != connection.get();
  }

  private void judgeReleased(MqttArrival arrival) {
    if (isStale(arrival)) {
      inFlight.release();
    } else {
      judge(arrival);
    }
  }

  /** Messages held now for the registry to learn of their device. */
  int heldMessages() {
    UnknownDeviceHold current = hold;
    return current == null ? 0 : current.held();
  }

  /** Hands the message to Kafka and acknowledges it, or leaves it for redelivery, once it is. */
  private void judge(MqttArrival arrival) {
    CompletableFuture<String> outcome;
    try {
      outcome = handOver(arrival);
    } catch (RuntimeException | StackOverflowError e) {
      outcome = rejectUnprocessable(arrival, e);
    }
    outcome.whenComplete((result, failure) -> finish(arrival, result, failure));
  }

  /**
   * Stores or rejects one message; the future says which, or fails with {@link
   * PingsNotDurableException} when the message may not be acknowledged.
   */
  private CompletableFuture<String> handOver(MqttArrival arrival) {
    byte[] payload = arrival.message().getPayload();
    long limit = properties.maxPayloadSize().toBytes();
    if (payload.length > limit) {
      return unprocessable
          .reject(
              arrival.identifier(),
              payload,
              "MQTT payload of "
                  + payload.length
                  + " bytes is over the limit of "
                  + limit
                  + " bytes")
          .thenApply(durable -> TOO_LARGE);
    }
    // Failures other than Kafka's arise while judging, before anything is sent, so the rejection
    // below runs on this thread, never on the producer's.
    return (arrival.gateway()
            ? handler.handleGateway(arrival.identifier(), payload)
            : handler.handle(arrival.identifier(), payload))
        .thenApply(durable -> ACKNOWLEDGED)
        .exceptionallyCompose(
            failure ->
                unwrap(failure) instanceof PingsNotDurableException
                    ? CompletableFuture.failedFuture(unwrap(failure))
                    : rejectUnprocessable(arrival, unwrap(failure)));
  }

  private CompletableFuture<String> rejectUnprocessable(MqttArrival arrival, Throwable failure) {
    log.warn(
        "MQTT message of device '{}' could not be processed: {}",
        arrival.identifier(),
        failure.toString());
    try {
      return unprocessable
          .reject(
              arrival.identifier(),
              arrival.message().getPayload(),
              "MQTT payload could not be processed: " + failure.getClass().getName())
          .thenApply(durable -> UNPROCESSABLE);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /** Runs where Kafka completes, on the producer's network thread: short, and never waits. */
  private void finish(MqttArrival arrival, String result, Throwable failure) {
    if (failure != null
        && unwrap(failure) instanceof IngestAtCapacityException
        && running
        && ofCurrentConnection(arrival)) {
      // Nothing was sent, and the session is sound: judged again shortly, on its permit.
      retryAtCapacity(arrival);
      return;
    }
    try {
      if (!ofCurrentConnection(arrival)) {
        // Its id belongs to an earlier connection: the broker redelivers it on this one, where it
        // is counted and acknowledged (storage is idempotent). Reconnecting for it would only
        // tear down the session that redelivers it.
        return;
      }
      if (failure == null) {
        acknowledge(arrival);
        outcomes.get(result).increment();
      } else {
        outcomes.get(NOT_DURABLE).increment();
        log.debug("MQTT message not acknowledged, Kafka failed: {}", failure.toString());
        scheduleReconnect(unwrap(failure));
      }
    } finally {
      inFlight.release();
    }
  }

  private boolean ofCurrentConnection(MqttArrival arrival) {
    return arrival.connection() == connection.get();
  }

  private void retryAtCapacity(MqttArrival arrival) {
    awaitingCapacity.add(arrival);
    try {
      scheduler.schedule(this::judgeAwaitingCapacity, CAPACITY_RETRY_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      if (awaitingCapacity.remove(arrival)) {
        inFlight.release();
      }
    }
  }

  private void judgeAwaitingCapacity() {
    for (MqttArrival arrival; (arrival = awaitingCapacity.poll()) != null; ) {
      judgeReleased(arrival);
    }
  }

  private void acknowledge(MqttArrival arrival) {
    try {
      client.messageArrivedComplete(arrival.message().getId(), arrival.message().getQos());
    } catch (MqttException | RuntimeException e) {
      // The broker redelivers it; storage is idempotent.
      log.warn(
          "MQTT message of device '{}' not acknowledged: {}", arrival.identifier(), e.toString());
    }
  }

  /** Kafka failed a message: its redelivery comes after a reconnect. */
  private void scheduleReconnect(Throwable kafkaFailure) {
    if (running && !reconnecting.get()) {
      log.warn(
          "MQTT messages not acknowledged, Kafka failed: {}; reconnecting in {}",
          kafkaFailure.getMessage(),
          properties.reconnectDelay());
    }
    scheduleReconnect();
  }

  /** Reconnecting is how an MQTT 3.1.1 client asks the broker to resend unacknowledged messages. */
  private void scheduleReconnect() {
    if (!running || !reconnecting.compareAndSet(false, true)) {
      return;
    }
    scheduler.schedule(
        () -> {
          connection.incrementAndGet();
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
    connection.incrementAndGet();
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
      // Held messages, and those waiting for capacity, are left unacknowledged: the broker
      // redelivers them to the next session.
      inFlight.release(hold.stop());
      for (MqttArrival dropped; (dropped = awaitingCapacity.poll()) != null; ) {
        inFlight.release();
      }
      awaitMessagesInFlight();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutDown(client);
    }
  }

  /**
   * Disconnects and closes the client whatever the broker does, so that it can call nothing of this
   * subscriber once a new client has taken its place.
   */
  private static void shutDown(MqttAsyncClient old) {
    try {
      if (old.isConnected()) {
        old.disconnect().waitForCompletion(5_000);
      }
    } catch (MqttException e) {
      log.debug("MQTT disconnect: {}", e.getMessage());
    }
    try {
      if (old.isConnected()) {
        old.disconnectForcibly(0, 1_000);
      }
    } catch (MqttException e) {
      log.debug("MQTT forced disconnect: {}", e.getMessage());
    }
    old.setCallback(null);
    try {
      old.close(true);
    } catch (MqttException e) {
      log.warn("MQTT client not closed: {}", e.getMessage());
    }
  }

  /** Gives messages handed to Kafka a while to become durable and be acknowledged. */
  private void awaitMessagesInFlight() throws InterruptedException {
    int all = properties.maxInFlight();
    if (inFlight.tryAcquire(all, 10, TimeUnit.SECONDS)) {
      inFlight.release(all);
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

  /**
   * Whether the broker confirmed this connection's subscriptions: from then on it keeps devices'
   * messages for ingest, even while ingest is away (persistent session).
   */
  boolean isSubscribed() {
    return isConnected() && subscribedConnection == connection.get();
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
