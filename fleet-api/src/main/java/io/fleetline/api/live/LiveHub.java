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

  private final AtomicLong sequence = new AtomicLong();
  private final FeedPositions positions = new FeedPositions();
  private final LiveCatchUp catchUp;
  private final Map<UUID, FleetChannel> channels = new ConcurrentHashMap<>();
  private final LiveProperties properties;
  private final ExecutorService senders;
  private final StreamSlots slots;
  private final AtomicLong dropped = new AtomicLong();

  /** Pings are wanted while any fleet has clients now or a replay buffer for recent ones. */
  private final PingDemand demand = new PingDemand(() -> !channels.isEmpty());

  LiveHub(LiveProperties properties, LiveCatchUp catchUp, MeterRegistry meters) {
    this.properties = properties;
    this.catchUp = catchUp;
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

  /**
   * Hands the message of one record to the fleet's clients, if it has any; the feed's position has
   * been moved past the record already.
   */
  void publish(UUID fleetId, String event, String data, boolean ping, int partition, long offset) {
    FleetChannel channel = channels.get(fleetId);
    if (channel == null) {
      return;
    }
    LiveMessage message =
        new LiveMessage(
            sequence.incrementAndGet(),
            event,
            data,
            positions.current().id(),
            ping,
            partition,
            offset);
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
   * Connects a client; with a {@code Last-Event-ID} it first gets what it missed, from this
   * instance's replay buffer or else read back from Kafka, whichever instance gave the id. A client
   * or fleet with all its streams open is refused with {@code 429}.
   */
  SseEmitter subscribe(UUID fleetId, String clientId, String lastEventId) {
    if (!slots.take(clientId, fleetId)) {
      throw tooManyStreams(fleetId, clientId);
    }
    SseEmitter emitter = new SseEmitter(properties.timeout().toMillis());
    FleetChannel[] joined = new FleetChannel[1];
    LiveSubscriber[] self = new LiveSubscriber[1];
    LiveSubscriber subscriber =
        new LiveSubscriber(
            emitter,
            properties.subscriberQueue(),
            senders,
            () -> {
              if (joined[0] != null) {
                joined[0].leave(self[0]);
              }
            },
            () -> slots.release(clientId, fleetId));
    self[0] = subscriber;
    Resumption resumption = Resumption.of(lastEventId);
    while (true) {
      FleetChannel channel =
          channels.computeIfAbsent(fleetId, id -> new FleetChannel(properties.replayBuffer()));
      // The channel makes pings wanted; the stream opens once the feed reads them.
      if (demand.awaitReading(FEED_RESUME_WAIT)) {
        channel.completeFrom(positions.current());
      }
      resumption = catchUp(fleetId, channel, subscriber, resumption);
      if (join(channel, subscriber, resumption)) {
        joined[0] = channel;
        emitter.onCompletion(subscriber::ended);
        emitter.onTimeout(subscriber::ended);
        emitter.onError(e -> subscriber.ended());
        subscriber.offer(LiveMessage.HEARTBEAT);
        return emitter;
      }
    }
  }

  /**
   * Where a client resumes: after what it was sent, or nowhere (a new client); {@code lost} when
   * what it missed is not known.
   */
  private record Resumption(String lastEventId, FeedPosition from, boolean lost) {

    static Resumption of(String lastEventId) {
      if (lastEventId == null || lastEventId.isBlank()) {
        return new Resumption(null, null, false);
      }
      FeedPosition from = FeedPosition.parse(lastEventId.strip());
      return new Resumption(lastEventId, from, from == null);
    }

    Resumption unknown() {
      return new Resumption(lastEventId, null, true);
    }
  }

  /**
   * Sends the client what it missed before the part of the feed the channel holds, read back from
   * Kafka (outside every lock: it takes a round trip or more); the resumption then continues where
   * that ends.
   */
  private Resumption catchUp(
      UUID fleetId, FleetChannel channel, LiveSubscriber subscriber, Resumption resumption) {
    if (resumption.from() == null || channel.covers(resumption.from())) {
      return resumption;
    }
    FeedPosition upTo = positions.current();
    if (!channel.covers(upTo)) {
      return resumption.unknown();
    }
    List<LiveMessage> missed =
        catchUp.read(fleetId, resumption.from(), upTo, sequence::incrementAndGet);
    if (missed == null) {
      return resumption.unknown();
    }
    missed.forEach(subscriber::offer);
    return new Resumption(resumption.lastEventId(), upTo, false);
  }

  /**
   * Replays what the client missed from the channel's buffer, or tells it that this is not known,
   * and adds it to the channel's clients; false when the channel was retired meanwhile, so that the
   * client joins the fleet's new one.
   */
  private boolean join(FleetChannel channel, LiveSubscriber subscriber, Resumption resumption) {
    synchronized (channel) {
      if (channel.retired()) {
        return false;
      }
      List<LiveMessage> missed = resumption.from() == null ? null : channel.from(resumption.from());
      if (resumption.lost() || (resumption.from() != null && missed == null)) {
        subscriber.offer(
            LiveMessage.notice(
                sequence.incrementAndGet(),
                "reset",
                "{\"reason\":\"events after "
                    + quote(resumption.lastEventId())
                    + " are no longer known;"
                    + " re-read the current state through the REST resources\"}",
                positions.current().id()));
      } else if (missed != null) {
        missed.forEach(subscriber::offer);
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

  private static String quote(String text) {
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
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

  /** Where the feed stands, moved by the feed as it reads. */
  FeedPositions positions() {
    return positions;
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
