package io.fleetline.ingest.osmand;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OsmandConnectionTest {

  static final String SOURCE = "192.0.2.7";

  final SourceSlots sources =
      new SourceSlots(1, new SimpleMeterRegistry().counter("osmand.refused"));
  final AtomicInteger answering = new AtomicInteger();
  final OsmandLimits limits =
      new OsmandLimits(
          64 * 1024,
          8 * 1024,
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofSeconds(20),
          64 * 1024,
          1);

  /** An endpoint whose hand-over overflows the stack, as a deeply recursive bug would. */
  static final class OverflowingEndpoint extends OsmandEndpoint {
    OverflowingEndpoint() {
      super(null, null, null);
    }

    @Override
    CompletableFuture<OsmandAnswer> receive(
        String query, String contentType, Charset charset, byte[] body) {
      throw new StackOverflowError();
    }
  }

  @Test
  void aStackOverflowInTheHandOverIsAnswered500AndReleasesTheAddressSlot() {
    OsmandConnection connection =
        new OsmandConnection(new OverflowingEndpoint(), answering, limits, sources, SOURCE);
    EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), connection);

    channel.writeInbound(
        Unpooled.copiedBuffer(
            "GET /?id=7&lat=52.5&lon=13.4 HTTP/1.1\r\nHost: ingest\r\n\r\n",
            StandardCharsets.US_ASCII));
    channel.runPendingTasks();

    assertThat(answered(channel)).startsWith("HTTP/1.1 500");
    assertThat(channel.isOpen()).isFalse();
    assertThat(answering).hasValue(0);
    assertThat(sources.tryAcquire(SOURCE)).as("the address's only slot is free again").isTrue();
    channel.finishAndReleaseAll();
  }

  private static String answered(EmbeddedChannel channel) {
    StringBuilder text = new StringBuilder();
    for (ByteBuf written; (written = channel.readOutbound()) != null; ) {
      text.append(written.toString(StandardCharsets.US_ASCII));
      written.release();
    }
    return text.toString();
  }
}
