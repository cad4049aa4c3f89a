package io.fleetline.api.live;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One connected client: a bounded queue drained by a sender task of its own, so that a slow client
 * never holds up the Kafka consumer or other clients; when its queue overflows it is disconnected
 * and may resume with {@code Last-Event-ID}.
 */
final class LiveSubscriber {

  private final SseEmitter emitter;
  private final ArrayBlockingQueue<LiveMessage> queue;
  private final Executor senders;
  private final Runnable onClose;
  private final Runnable onEnd;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean closed;

  /** Whether the emitter was completed; touched only by the one drain that runs at a time. */
  private boolean finished;

  /**
   * @param onClose run once when the stream stops taking messages: the client fell behind or left,
   *     or the stream timed out or failed
   * @param onEnd run once when the connection has really ended (the emitter completed, timed out or
   *     failed), which may be well after {@code onClose} while a send is blocked on the client
   */
  LiveSubscriber(
      SseEmitter emitter, int capacity, Executor senders, Runnable onClose, Runnable onEnd) {
    this.emitter = emitter;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.senders = senders;
    this.onClose = onClose;
    this.onEnd = onEnd;
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
   * Stops taking messages and has the sender task complete the connection, never the caller: a send
   * blocked on a client that stopped reading holds the emitter, and the Kafka consumer must not
   * wait for it. The stream's slot is given back only by {@link #ended}.
   */
  void close() {
    closed = true;
    if (closing.compareAndSet(false, true)) {
      queue.clear();
      onClose.run();
      schedule();
    }
  }

  /** The connection has ended (the emitter completed, timed out or failed). */
  void ended() {
    close();
    if (ended.compareAndSet(false, true)) {
      onEnd.run();
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
      close();
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
      try {
        if (error == null) {
          emitter.complete();
        } else {
          emitter.completeWithError(error);
        }
      } catch (IllegalStateException e) {
        // The container already ended the request (the client left and its error handling ran):
        // there is nothing left to complete, and the sender task must not die of it.
      }
    }
  }

  private void send(LiveMessage message) throws IOException {
    if (message.seq() < 0) {
      emitter.send(SseEmitter.event().comment("keep-alive"));
    } else {
      emitter.send(
          SseEmitter.event()
              .id(message.id())
              .name(message.event())
              .data(message.data(), MediaType.APPLICATION_JSON));
    }
  }
}
