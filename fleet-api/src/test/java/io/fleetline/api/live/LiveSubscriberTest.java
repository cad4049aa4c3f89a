package io.fleetline.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

class LiveSubscriberTest {

  /** An emitter whose request the container has already ended after an error on the connection. */
  static final class EndedEmitter extends SseEmitter {
    final AtomicInteger completions = new AtomicInteger();

    @Override
    public void send(SseEventBuilder builder) throws IOException {
      throw new IllegalStateException("the request has ended");
    }

    @Override
    public void complete() {
      completions.incrementAndGet();
      throw new IllegalStateException("AsyncContext used after an error");
    }

    @Override
    public void completeWithError(Throwable ex) {
      completions.incrementAndGet();
      throw new IllegalStateException("AsyncContext used after an error");
    }
  }

  @Test
  void aClientWhoseRequestAlreadyEndedIsClosedWithoutTheSenderTaskFailing() {
    EndedEmitter emitter = new EndedEmitter();
    List<Throwable> escaped = new ArrayList<>();
    AtomicInteger closes = new AtomicInteger();
    LiveSubscriber subscriber =
        new LiveSubscriber(
            emitter,
            4,
            task -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                escaped.add(e);
              }
            },
            closes::incrementAndGet,
            () -> {});

    subscriber.offer(LiveMessage.notice(1, "position", "{}", "k0_0"));

    assertThat(escaped).isEmpty();
    assertThat(subscriber.isClosed()).isTrue();
    assertThat(closes).hasValue(1);
    assertThat(emitter.completions).as("completed once, not retried").hasValue(1);
  }
}
