package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.ingest.intake.RecordingIntake;
import io.fleetline.ingest.publish.RejectedPing;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UnprocessableMessagesTest {

  final RecordingIntake uploads = new RecordingIntake(MqttPingHandlerTest.PROPERTIES);
  final UnprocessableMessages unprocessable = new UnprocessableMessages(uploads.intake());

  @Test
  void anOversizedPayloadKeepsTheConfiguredExcerptAndItsFullLength() {
    byte[] payload = new byte[300_000];
    Arrays.fill(payload, (byte) 'x');

    unprocessable.reject("tracker-1", payload, "over the size limit").join();

    assertThat(uploads.rejected).hasSize(1);
    RejectedPing rejected = uploads.rejected.get(0);
    assertThat(rejected.original()).hasSize(8192);
    assertThat(rejected.originalLength()).isEqualTo(300_000);
    assertThat(rejected.truncated()).isTrue();
  }

  @Test
  void aShortPayloadIsKeptWhole() {
    unprocessable.reject("tracker-1", new byte[] {1, 2, 3}, "unprocessable").join();

    assertThat(uploads.rejected.get(0).original()).containsExactly(1, 2, 3);
    assertThat(uploads.rejected.get(0).truncated()).isFalse();
  }
}
