package io.fleetline.api.live;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
  private final Runnable onLeave;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean left = new AtomicBoolean();
  private volatile boolean closed;

  /** Whether the emitter was completed; touched only by the one drain that runs at a time. */
  private boolean finished;

  /**
   * @param onLeave run once when the stream ends for whatever reason: the client left, the stream
   *     timed out or failed, or the client fell behind
   */
  LiveSubscriber(
      SseEmitter emitter, int capacity, Executor senders, String instance, Runnable onLeave) {
    this.emitter = emitter;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.senders = senders;
    this.instance = instance;
    this.onLeave = onLeave;
  }

  /**
   * Queues a message; a client that cannot keep up is disconnected.
   *
   * @return {@code false} when the message overflowed the queue and the client was disconnected
   */
  boolean offer(LiveMessage message) {
    if (closed) {
      return true;
    }
    if (!queue.offer(message)) {
      close();
      return false;
    }
    schedule();
    return true;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Ends the stream and gives up its place at once. The connection is completed by the sender pool,
   * never by the caller: a send blocked on a client that stopped reading holds the emitter, and the
   * Kafka consumer must not wait for it.
   */
  void close() {
    if (!closed) {
      closed = true;
      leave();
      schedule();
    }
  }

  /** The stream has ended: runs {@code onLeave} the first time only. */
  void leave() {
    closed = true;
    if (left.compareAndSet(false, true)) {
      queue.clear();
      onLeave.run();
    }
  }

  private void schedule() {
    if (draining.compareAndSet(false, true)) {
      try {
        senders.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining.set(false); // shutting down: the container ends the request
      }
    }
  }

  private void drain() {
    try {
      LiveMessage message;
      while (!closed && (message = queue.poll()) != null) {
        send(message);
      }
      if (closed) {
        finish(null);
      }
    } catch (IOException | IllegalStateException e) {
      leave();
      finish(e);
    } finally {
      draining.set(false);
    }
    if (closed ? !finished : !queue.isEmpty()) {
      schedule();
    }
  }

  private void finish(Exception error) {
    if (!finished) {
      finished = true;
      if (error == null) {
        emitter.complete();
      } else {
        emitter.completeWithError(error);
      }
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
