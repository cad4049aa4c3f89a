package io.fleetline.api.live;

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
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans live messages out to the clients of each fleet. Only fleets that have (or recently had) a
 * client keep a replay buffer, so memory grows with listeners, not with the number of fleets.
 */
@Component
class LiveHub implements SmartLifecycle, DisposableBean {

  /** Distinguishes this instance's event ids from another's, which it cannot resume. */
  private final String instance = Long.toString(System.currentTimeMillis(), 36);

  private final AtomicLong sequence = new AtomicLong();
  private final Map<UUID, FleetChannel> channels = new ConcurrentHashMap<>();
  private final LiveProperties properties;
  private final ExecutorService senders;

  LiveHub(LiveProperties properties) {
    this.properties = properties;
    AtomicInteger threads = new AtomicInteger();
    this.senders =
        Executors.newFixedThreadPool(
            4,
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
      channel.subscribers.forEach(s -> s.offer(message));
    }
  }

  /** Connects a client; with a {@code Last-Event-ID} it first gets what it missed, if known. */
  SseEmitter subscribe(UUID fleetId, String lastEventId) {
    SseEmitter emitter = new SseEmitter(properties.timeout().toMillis());
    LiveSubscriber subscriber =
        new LiveSubscriber(emitter, properties.subscriberQueue(), senders, instance);
    FleetChannel channel =
        channels.computeIfAbsent(
            fleetId, id -> new FleetChannel(properties.replayBuffer(), sequence.get()));
    Runnable leave =
        () -> {
          channel.subscribers.remove(subscriber);
          if (channel.subscribers.isEmpty()) {
            channel.idleSince = Instant.now();
          }
        };
    emitter.onCompletion(leave);
    emitter.onTimeout(leave);
    emitter.onError(e -> leave.run());
    synchronized (channel) {
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
      channel.subscribers.add(subscriber);
    }
    subscriber.offer(LiveMessage.HEARTBEAT);
    return emitter;
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
    channels.values().forEach(c -> c.subscribers.forEach(s -> s.offer(LiveMessage.HEARTBEAT)));
  }

  /** Drops the replay buffers of fleets nobody has listened to for a while. */
  @Scheduled(fixedDelay = 60_000)
  void forgetIdleFleets() {
    Instant cutoff = Instant.now().minus(properties.retention());
    channels
        .entrySet()
        .removeIf(
            e -> e.getValue().subscribers.isEmpty() && e.getValue().idleSince.isBefore(cutoff));
  }

  /** Whether the fleet has a channel, i.e. clients now or recently. */
  boolean listening(UUID fleetId) {
    return channels.containsKey(fleetId);
  }

  int subscribers(UUID fleetId) {
    FleetChannel channel = channels.get(fleetId);
    return channel == null ? 0 : channel.subscribers.size();
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
