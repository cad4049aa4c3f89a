package io.fleetline.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.Measurements;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.publish.PingPublisher;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.publish.RejectedPing;
import io.fleetline.ingest.publish.RejectedTopicProperties;
import io.fleetline.ingest.validation.PingCandidate;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.Rejection;
import io.fleetline.ingest.validation.ValidationProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The intake's own logic; the Kafka side is covered by the protocol integration tests. */
class PingIntakeTest {

  static final DeviceRegistration DEVICE =
      new DeviceRegistration(
          1,
          UUID.randomUUID(),
          UUID.randomUUID(),
          UUID.randomUUID(),
          DeviceProtocol.HTTP,
          "d",
          null,
          true);

  /** Records what it is asked to publish, optionally holding the caller until released. */
  static final class RecordingPublisher extends PingPublisher {
    final List<VehiclePing> accepted = new ArrayList<>();
    final List<RejectedPing> rejected = new ArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hold;

    RecordingPublisher() {
      super(null, null, null);
    }

    @Override
    public synchronized void publish(List<VehiclePing> a, List<RejectedPing> r) {
      accepted.addAll(a);
      rejected.addAll(r);
      if (hold) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public CompletableFuture<Void> publishAsync(List<VehiclePing> a, List<RejectedPing> r) {
      publish(a, r);
      return CompletableFuture.completedFuture(null);
    }
  }

  static IngestProperties properties(int maxInFlight) {
    return new IngestProperties(
        new IngestProperties.TopicNames("p", "r", "d", 1, (short) 1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        1000,
        1 << 20,
        maxInFlight,
        Duration.ofMillis(100));
  }

  static DecodedPing valid(int index, double lat) {
    return DecodedPing.of(
        index,
        new byte[0],
        new PingCandidate(
            Instant.now().minusSeconds(5),
            new Measurements(lat, 13.4, 10.0, null, null, null, null, null),
            Map.of()));
  }

  @Test
  void validAndInvalidPingsAreSplitAndReportedByIndex() {
    RecordingPublisher publisher = new RecordingPublisher();
    PingIntake intake =
        new PingIntake(
            new PingValidator(ValidationProperties.defaults()),
            publisher,
            properties(10),
            RejectedTopicProperties.defaults());

    IntakeResult result =
        intake.accept(
            DEVICE,
            "http",
            List.of(valid(0, 52.5), valid(1, 95), DecodedPing.malformed(2, new byte[] {1}, "bad")));

    assertThat(result.accepted()).isEqualTo(1);
    assertThat(result.rejected())
        .extracting(IntakeResult.ItemRejection::index)
        .containsExactly(1, 2);
    assertThat(publisher.accepted)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.vehicleId()).isEqualTo(DEVICE.vehicleId());
              assertThat(p.recordedAt().getNano() % 1_000_000).isZero();
            });
    assertThat(publisher.rejected)
        .extracting(r -> r.rejection().reason())
        .containsExactly("latitude_out_of_range", "malformed");
  }

  @Test
  void pastTheInFlightBudgetUploadsAreRefusedInsteadOfQueuedInMemory() throws Exception {
    RecordingPublisher publisher = new RecordingPublisher();
    publisher.hold = true;
    PingIntake intake =
        new PingIntake(
            new PingValidator(ValidationProperties.defaults()),
            publisher,
            properties(2),
            RejectedTopicProperties.defaults());
    CompletableFuture<IntakeResult> first =
        CompletableFuture.supplyAsync(
            () -> intake.accept(DEVICE, "http", List.of(valid(0, 1), valid(1, 2))));
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.accepted.size() == 2);

    assertThatThrownBy(() -> intake.accept(DEVICE, "http", List.of(valid(0, 3))))
        .isInstanceOf(PingsNotDurableException.class)
        .hasMessageContaining("capacity");

    publisher.release.countDown();
    assertThat(first.get().accepted()).isEqualTo(2);
    assertThat(intake.accept(DEVICE, "http", List.of(valid(0, 4))).accepted()).isEqualTo(1);
  }

  @Test
  void aRejectedItemKeepsOnlyAnExcerptOfItsOriginalAndItsTrueLength() {
    RecordingPublisher publisher = new RecordingPublisher();
    PingIntake intake =
        new PingIntake(
            new PingValidator(ValidationProperties.defaults()),
            publisher,
            properties(10),
            new RejectedTopicProperties(100));
    byte[] huge = new byte[1_200_000];
    byte[] small = new byte[100];

    intake.accept(
        DEVICE,
        "http",
        List.of(
            DecodedPing.malformed(0, huge, "bad"),
            DecodedPing.malformed(1, small, "bad"),
            valid(2, 52)));
    intake
        .rejectUnattributedAsync("some-device", "mqtt", huge, new Rejection("unknown_device", "?"))
        .join();

    assertThat(publisher.rejected)
        .extracting(r -> r.original().length, RejectedPing::originalLength, RejectedPing::truncated)
        .containsExactly(
            tuple(100, 1_200_000, true), tuple(100, 100, false), tuple(100, 1_200_000, true));
    assertThat(publisher.accepted).hasSize(1);
  }
}
