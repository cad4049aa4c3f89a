package io.fleetline.api.live;

import io.fleetline.api.problem.ApiProblem;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans live messages out to the clients of each fleet. Only fleets that have (or recently had) a
 * client keep a replay buffer, so memory grows with listeners, not with the number of fleets; while
 * no fleet keeps one, the feed reads no pings at all.
 */
@Component
class LiveHub implements SmartLifecycle, DisposableBean {

  /**
   * How long a client that connects while pings are paused waits for the feed to read them again;
   * normally one round trip to Kafka, and if Kafka is slower the stream opens anyway.
   */
  private static final Duration FEED_RESUME_WAIT = Duration.ofSeconds(3);

  /** Distinguishes this instance's event ids from another's, which it cannot resume. */
  private final String instance = Long.toString(System.currentTimeMillis(), 36);

  private final AtomicLong sequence = new AtomicLong();
  private final Map<UUID, FleetChannel> channels = new ConcurrentHashMap<>();
  private final LiveProperties properties;
  private final ExecutorService senders;
  private final StreamSlots slots;
  private final AtomicLong dropped = new AtomicLong();

  /** Pings are wanted while any fleet has clients now or a replay buffer for recent ones. */
  private final PingDemand demand = new PingDemand(() -> !channels.isEmpty());

  LiveHub(LiveProperties properties, MeterRegistry meters) {
    this.properties = properties;
    this.slots = new StreamSlots(properties.maxStreamsPerClient(), properties.maxStreamsPerFleet());
    FunctionCounter.builder("fleetline.live.streams.dropped", dropped, AtomicLong::get)
        .description("Live streams closed because their client fell behind")
        .register(meters);
    Gauge.builder("fleetline.live.streams", this, LiveHub::streams)
        .description("Open live streams")
        .register(meters);
    // A thread per sending stream, not a small shared pool: a send to a client that stopped reading
    // blocks until the connection timeout, and with a fixed pool a few such clients would stall
    // every fleet's streams. Threads run only while a stream has something to send and are bounded
    // by the open streams (the slots and the server's connection limit); idle ones end after 60s.
    AtomicInteger threads = new AtomicInteger();
    this.senders =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "live-sender-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Hands one message to the fleet's clients, if it has any. */
  void publish(UUID fleetId, String event, String data) {
    FleetChannel channel = channels.get(fleetId);
    if (channel == null) {
      return;
    }
    LiveMessage message = new LiveMessage(sequence.incrementAndGet(), event, data);
    synchronized (channel) {
      channel.append(message);
      channel.subscribers.forEach(s -> offer(s, message));
    }
  }

  private void offer(LiveSubscriber subscriber, LiveMessage message) {
    if (!subscriber.offer(message)) {
      dropped.incrementAndGet();
    }
  }

  /**
   * Connects a client; with a {@code Last-Event-ID} it first gets what it missed, if known. A
   * client or fleet with all its streams open is refused with {@code 429}.
   */
  SseEmitter subscribe(UUID fleetId, String clientId, String lastEventId) {
    if (!slots.take(clientId, fleetId)) {
      throw tooManyStreams(fleetId, clientId);
    }
    SseEmitter emitter = new SseEmitter(properties.timeout().toMillis());
    while (true) {
      FleetChannel channel =
          channels.computeIfAbsent(
              fleetId, id -> new FleetChannel(properties.replayBuffer(), sequence.get()));
      // The channel makes pings wanted; the stream opens once the feed reads them.
      demand.awaitReading(FEED_RESUME_WAIT);
      LiveSubscriber[] self = new LiveSubscriber[1];
      LiveSubscriber subscriber =
          new LiveSubscriber(
              emitter,
              properties.subscriberQueue(),
              senders,
              instance,
              () -> channel.leave(self[0]),
              () -> slots.release(clientId, fleetId));
      self[0] = subscriber;
      if (join(channel, subscriber, lastEventId)) {
        emitter.onCompletion(subscriber::ended);
        emitter.onTimeout(subscriber::ended);
        emitter.onError(e -> subscriber.ended());
        subscriber.offer(LiveMessage.HEARTBEAT);
        return emitter;
      }
    }
  }

  /**
   * Replays what the client missed, if asked and known, and adds it to the channel's clients; false
   * when the channel was retired meanwhile, so that the client joins the fleet's new one.
   */
  private boolean join(FleetChannel channel, LiveSubscriber subscriber, String lastEventId) {
    synchronized (channel) {
      if (channel.retired()) {
        return false;
      }
      if (lastEventId != null && !lastEventId.isBlank()) {
        List<LiveMessage> missed = missed(channel, lastEventId.strip());
        if (missed == null) {
          subscriber.offer(
              new LiveMessage(
                  sequence.incrementAndGet(),
                  "reset",
                  "{\"reason\":\"events after "
                      + quote(lastEventId)
                      + " are no longer known;"
                      + " re-read the current state through the REST resources\"}"));
        } else {
          missed.forEach(subscriber::offer);
        }
      }
      if (!subscriber.isClosed()) {
        channel.subscribers.add(subscriber);
      }
      return true;
    }
  }

  private ApiProblem tooManyStreams(UUID fleetId, String clientId) {
    String whose =
        slots.ofClient(clientId) >= properties.maxStreamsPerClient()
            ? "this client has " + properties.maxStreamsPerClient()
            : "this fleet has " + properties.maxStreamsPerFleet();
    ApiProblem problem =
        new ApiProblem(
            HttpStatus.TOO_MANY_REQUESTS,
            "too-many-streams",
            "Too many live streams",
            whose + " live streams open already; close one or retry later.");
    problem
        .getHeaders()
        .set(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfter().toSeconds()));
    return problem;
  }

  private List<LiveMessage> missed(FleetChannel channel, String lastEventId) {
    int dash = lastEventId.lastIndexOf('-');
    if (dash <= 0 || !lastEventId.substring(0, dash).equals(instance)) {
      return null;
    }
    try {
      return channel.after(Long.parseLong(lastEventId.substring(dash + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String quote(String text) {
    return text.replaceAll("[^A-Za-z0-9_-]", "?");
  }

  @Scheduled(fixedDelayString = "${fleetline.api.live.heartbeat:15s}")
  void heartbeat() {
    channels.values().forEach(c -> c.subscribers.forEach(s -> offer(s, LiveMessage.HEARTBEAT)));
  }

  @Scheduled(fixedDelay = 60_000)
  void forgetIdleFleets() {
    forgetIdleFleets(Instant.now());
  }

  /**
   * Drops the replay buffers of fleets nobody has listened to for the retention before {@code now};
   * once none is left, the feed stops reading pings.
   */
  void forgetIdleFleets(Instant now) {
    Instant cutoff = now.minus(properties.retention());
    channels.forEach(
        (fleetId, channel) -> {
          if (channel.retireIfIdleSince(cutoff)) {
            channels.remove(fleetId, channel);
          }
        });
  }

  /** Whether the fleet has a channel, i.e. clients now or recently. */
  boolean listening(UUID fleetId) {
    return channels.containsKey(fleetId);
  }

  /** Whether pings are wanted, shared with the feed that reads them. */
  PingDemand demand() {
    return demand;
  }

  int subscribers(UUID fleetId) {
    FleetChannel channel = channels.get(fleetId);
    return channel == null ? 0 : channel.subscribers.size();
  }

  /** The client's streams whose connections have not ended yet, each holding a slot. */
  int streamsOf(String clientId) {
    return slots.ofClient(clientId);
  }

  /** Streams closed so far because their client fell behind. */
  long dropped() {
    return dropped.get();
  }

  private double streams() {
    return channels.values().stream().mapToInt(c -> c.subscribers.size()).sum();
  }

  private volatile boolean running;

  @Override
  public void start() {
    running = true;
  }

  /**
   * Ends every stream before the web server's graceful shutdown begins, which would otherwise wait
   * for these never-ending requests; clients reconnect to another instance.
   */
  @Override
  public void stop() {
    running = false;
    channels.values().forEach(c -> c.subscribers.forEach(LiveSubscriber::close));
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public void destroy() {
    channels.values().forEach(c -> c.subscribers.forEach(LiveSubscriber::close));
    senders.shutdownNow();
  }
}
