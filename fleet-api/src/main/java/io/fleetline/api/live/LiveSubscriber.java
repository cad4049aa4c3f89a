package io.fleetline.api.live;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One connected client: a bounded queue drained by a shared sender pool, so that a slow client
 * never holds up the Kafka consumer or other clients; when its queue overflows it is disconnected
 * and may resume with {@code Last-Event-ID}.
 */
final class LiveSubscriber {

  private final SseEmitter emitter;
  private final ArrayBlockingQueue<LiveMessage> queue;
  private final Executor senders;
  private final String instance;
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean closed;

  LiveSubscriber(SseEmitter emitter, int capacity, Executor senders, String instance) {
    this.emitter = emitter;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.senders = senders;
    this.instance = instance;
  }

  /** Queues a message; a client that cannot keep up is disconnected. */
  void offer(LiveMessage message) {
    if (closed) {
      return;
    }
    if (!queue.offer(message)) {
      close();
      return;
    }
    if (draining.compareAndSet(false, true)) {
      senders.execute(this::drain);
    }
  }

  boolean isClosed() {
    return closed;
  }

  void close() {
    if (!closed) {
      closed = true;
      queue.clear();
      emitter.complete();
    }
  }

  private void drain() {
    try {
      LiveMessage message;
      while (!closed && (message = queue.poll()) != null) {
        send(message);
      }
    } catch (IOException | IllegalStateException e) {
      closed = true;
      emitter.completeWithError(e);
    } finally {
      draining.set(false);
    }
    if (!closed && !queue.isEmpty() && draining.compareAndSet(false, true)) {
      senders.execute(this::drain);
    }
  }

  private void send(LiveMessage message) throws IOException {
    if (message.seq() < 0) {
      emitter.send(SseEmitter.event().comment("keep-alive"));
    } else {
      emitter.send(
          SseEmitter.event()
              .id(instance + "-" + message.seq())
              .name(message.event())
              .data(message.data(), MediaType.APPLICATION_JSON));
    }
  }
}
