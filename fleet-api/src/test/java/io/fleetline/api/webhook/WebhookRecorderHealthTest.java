package io.fleetline.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.FleetApiTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.test.context.TestPropertySource;

/**
 * A delivery recorder whose reads of the events fail (here: Kafka refuses the topic's name) keeps
 * trying rather than ending its thread, and reports the instance down meanwhile.
 */
@TestPropertySource(properties = "fleetline.webhooks.events-topic=not a valid topic name")
class WebhookRecorderHealthTest extends FleetApiTest {

  @Autowired WebhookRecorderHealth health;
  @Autowired DeliveryRecorder recorder;

  @Test
  void aRecorderWhoseReadsFailKeepsTryingAndReportsTheInstanceDown() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> health.health().getStatus().equals(Status.DOWN));
    assertThat(health.health().getDetails().get("reading events").toString())
        .contains("InvalidTopicException")
        .doesNotStartWith("stopped");
    assertThat(recorder.isRunning()).isTrue();
    assertThat(recorder.assigned()).isFalse();
  }
}
