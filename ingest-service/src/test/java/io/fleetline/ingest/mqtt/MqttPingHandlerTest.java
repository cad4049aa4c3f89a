package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.intake.RecordingIntake;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.publish.RejectedPing;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.registry.LoadedRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MqttPingHandlerTest {

  static final DeviceRegistration TRACKER =
      new DeviceRegistration(
          1,
          UUID.randomUUID(),
          UUID.randomUUID(),
          UUID.randomUUID(),
          DeviceProtocol.MQTT,
          "tracker-1",
          null,
          true);

  static final IngestProperties PROPERTIES =
      new IngestProperties(
          new IngestProperties.TopicNames("p", "r", "d", 1, (short) 1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          1000,
          1 << 22,
          50_000,
          Duration.ofSeconds(1));

  final RecordingIntake uploads = new RecordingIntake(PROPERTIES);
  final MqttPingHandler handler =
      new MqttPingHandler(LoadedRegistry.of(TRACKER), uploads.intake(), PROPERTIES, null);

  static String ping(String attributes) {
    return "{\"recordedAt\":\""
        + Instant.now().minusSeconds(5)
        + "\",\"latitude\":48.2,\"longitude\":11.6,\"attributes\":"
        + attributes
        + "}";
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void whileTheRegistryLoadsAMessageIsNeitherJudgedNorAcknowledged() {
    // No intake: judging the message (even rejecting it as from an unknown device) would reach it.
    MqttPingHandler handler = new MqttPingHandler(new DeviceRegistry(), null, null, null);
    byte[] ping =
        "{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":1,\"longitude\":2}"
            .getBytes(StandardCharsets.UTF_8);

    assertThat(handler.ready()).isFalse();
    assertThatThrownBy(() -> handler.handle("tracker-1", ping).join())
        .hasCauseInstanceOf(PingsNotDurableException.class)
        .hasMessageContaining("registry is still loading");
  }

  @Test
  void aMegabyteAttributeIsRejectedAsTooLargeWithAnExcerptAndItsNeighbourAccepted() {
    String huge = ping("{\"blob\":\"" + "x".repeat(1_100_000) + "\"}");

    handler.handle("tracker-1", utf8("[" + huge + "," + ping("{}") + "]")).join();

    assertThat(uploads.accepted).hasSize(1);
    assertThat(uploads.rejected)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rejection().reason()).isEqualTo("attributes_too_large");
              assertThat(r.original()).hasSize(8192);
              assertThat(r.originalLength()).isEqualTo(huge.length());
            });
  }

  @Test
  void anUnreadableMegabytePayloadIsKeptAsAnExcerpt() {
    byte[] payload = utf8("[" + ping("{}") + "," + "x".repeat(1_100_000));

    handler.handle("tracker-1", payload).join();
    handler.handle("nobody", payload).join();

    assertThat(uploads.accepted).isEmpty();
    assertThat(uploads.rejected)
        .extracting(r -> r.rejection().reason())
        .containsExactly("malformed", "unknown_device");
    assertThat(uploads.rejected)
        .allSatisfy(
            r -> {
              assertThat(r.original()).hasSize(8192);
              assertThat(r.truncated()).isTrue();
              assertThat(r.rejection().detail()).doesNotContainIgnoringCase("jackson");
            });
  }

  @Test
  void nulOrALoneSurrogateInAnAttributeKeyOrNestedValueIsRejectedAsMalformed() {
    handler
        .handle(
            "tracker-1",
            utf8(
                "["
                    + ping("{\"note\":\"a\\u0000b\"}")
                    + ","
                    + ping("{\"a\\u0000\":1}")
                    + ","
                    + ping("{\"trip\":{\"stops\":[\"\\ud800\"]}}")
                    + ","
                    + ping("{\"driver\":\"\\ud83d\\ude9a\"}")
                    + "]"))
        .join();

    assertThat(uploads.rejected)
        .extracting(RejectedPing::rejection)
        .extracting(r -> r.reason() + " " + r.detail().substring(0, r.detail().indexOf(' ')))
        .containsExactly(
            "malformed attributes.note",
            "malformed attributes.a?",
            "malformed attributes.trip.stops[0]");
    assertThat(uploads.accepted)
        .singleElement()
        .satisfies(p -> assertThat(p.attributes()).containsEntry("driver", "\ud83d\ude9a"));
  }
}
