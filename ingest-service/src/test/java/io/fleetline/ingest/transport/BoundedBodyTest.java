package io.fleetline.ingest.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

  /** Hands out its bytes, then fails any further read as a client still sending would block. */
  private static InputStream noMoreAfter(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        if (available() == 0) {
          throw new AssertionError("read past the declared length");
        }
        return super.read(b, off, Math.min(len, 1000));
      }
    };
  }

  @Test
  void aBodyOfExactlyTheDeclaredLengthIsReturnedWithoutLookingForMore() throws Exception {
    for (int size : new int[] {0, 1, 500, 65_536, 200_000}) {
      byte[] body = new byte[size];
      Arrays.fill(body, (byte) 'p');

      byte[] read = BoundedBody.readAtMost(noMoreAfter(body), size, 1 << 22, Duration.ofSeconds(5));

      assertThat(read).as("%d bytes", size).isEqualTo(body);
    }
  }

  @Test
  void withoutADeclaredLengthTheBodyEndsAtTheEndOfTheStream() throws Exception {
    byte[] body = new byte[20_000];
    assertThat(
            BoundedBody.readAtMost(
                new ByteArrayInputStream(body), -1, 1 << 22, Duration.ofSeconds(5)))
        .hasSize(20_000);
  }

  @Test
  void aBodyOverTheLimitIsRefused() {
    assertThatThrownBy(
            () ->
                BoundedBody.readAtMost(
                    new ByteArrayInputStream(new byte[2000]), -1, 1000, Duration.ofSeconds(5)))
        .isInstanceOf(BodyException.class);
  }

  @Test
  void aShorterBodyThanDeclaredEndsAtTheEndOfTheStream() throws IOException, BodyException {
    assertThat(
            BoundedBody.readAtMost(
                new ByteArrayInputStream(new byte[10]), 500, 1000, Duration.ofSeconds(5)))
        .hasSize(10);
  }
}
