package io.fleetline.ingest.intake;

import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.publish.PingPublisher;
import io.fleetline.ingest.publish.RejectedPing;
import io.fleetline.ingest.publish.RejectedTopicProperties;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.ValidationProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The real intake and validator in front of a publisher that keeps what it is given: for protocol
 * handlers' tests that need no Kafka broker.
 */
public final class RecordingIntake extends PingPublisher {

  public final List<VehiclePing> accepted = new ArrayList<>();
  public final List<RejectedPing> rejected = new ArrayList<>();
  private final PingIntake intake;

  public RecordingIntake(IngestProperties properties) {
    super(null, properties, null);
    intake =
        new PingIntake(
            new PingValidator(ValidationProperties.defaults()),
            this,
            properties,
            RejectedTopicProperties.defaults());
  }

  public PingIntake intake() {
    return intake;
  }

  @Override
  public synchronized void publish(List<VehiclePing> a, List<RejectedPing> r) {
    accepted.addAll(a);
    rejected.addAll(r);
  }

  @Override
  public CompletableFuture<Void> publishAsync(List<VehiclePing> a, List<RejectedPing> r) {
    publish(a, r);
    return CompletableFuture.completedFuture(null);
  }
}
