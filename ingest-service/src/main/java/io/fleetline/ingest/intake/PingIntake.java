package io.fleetline.ingest.intake;

import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.publish.IngestAtCapacityException;
import io.fleetline.ingest.publish.PingPublisher;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.publish.RejectedPing;
import io.fleetline.ingest.publish.RejectedTopicProperties;
import io.fleetline.ingest.validation.PingCandidate;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.Rejection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The path every protocol adapter shares once it knows the device and has decoded the upload:
 * validate each ping, publish accepted and rejected ones, and report per item. Returns only when
 * everything is durable in Kafka.
 */
@Component
public class PingIntake {

  private final PingValidator validator;
  private final PingPublisher publisher;
  private final Clock clock;
  private final Semaphore budget;
  private final IngestProperties properties;
  private final RejectedTopicProperties rejectedTopic;

  PingIntake(
      PingValidator validator,
      PingPublisher publisher,
      IngestProperties properties,
      RejectedTopicProperties rejectedTopic) {
    this.validator = validator;
    this.publisher = publisher;
    this.properties = properties;
    this.rejectedTopic = rejectedTopic;
    this.clock = Clock.systemUTC();
    this.budget = new Semaphore(properties.maxPingsInFlight());
  }

  /**
   * @throws io.fleetline.ingest.publish.PingsNotDurableException when Kafka cannot take them now
   */
  public IntakeResult accept(DeviceRegistration device, String protocol, List<DecodedPing> items) {
    int permits = Math.min(items.size(), properties.maxPingsInFlight());
    acquire(permits);
    try {
      return validateAndPublish(device, protocol, items);
    } finally {
      budget.release(permits);
    }
  }

  /**
   * Pings waiting for Kafka hold memory; past the budget a device is told to come back later rather
   * than letting a slow broker fill the heap.
   */
  private void acquire(int permits) {
    try {
      if (!budget.tryAcquire(
          permits, properties.capacityWait().toMillis(), TimeUnit.MILLISECONDS)) {
        throw atCapacity();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PingsNotDurableException("interrupted while waiting for capacity", e);
    }
  }

  /**
   * Like {@link #accept}, without waiting: the future completes once everything is durable, or
   * fails with {@link PingsNotDurableException}. An upload that finds no room under the in-flight
   * bound is refused at once rather than waiting for it, since the caller may be an event loop.
   */
  public CompletableFuture<IntakeResult> acceptAsync(
      DeviceRegistration device, String protocol, List<DecodedPing> items) {
    int permits = Math.min(items.size(), properties.maxPingsInFlight());
    if (!budget.tryAcquire(permits)) {
      return CompletableFuture.failedFuture(atCapacity());
    }
    try {
      Upload upload = validate(device, protocol, items);
      return publisher
          .publishAsync(upload.accepted, upload.rejected)
          .thenApply(durable -> upload.result())
          .whenComplete((result, failure) -> budget.release(permits));
    } catch (RuntimeException e) {
      budget.release(permits);
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Like {@link #accept}, for an upload whose items belong to several devices, as a gateway's do:
   * each device's items are validated and attributed as its own, and all are published together.
   */
  public IntakeResult acceptAttributed(String protocol, List<AttributedItems> groups) {
    int permits = Math.min(count(groups), properties.maxPingsInFlight());
    acquire(permits);
    try {
      Upload upload = validate(protocol, groups);
      publisher.publish(upload.accepted, upload.rejected);
      return upload.result();
    } finally {
      budget.release(permits);
    }
  }

  /** Like {@link #acceptAttributed}, without waiting, as {@link #acceptAsync} is. */
  public CompletableFuture<IntakeResult> acceptAttributedAsync(
      String protocol, List<AttributedItems> groups) {
    int permits = Math.min(count(groups), properties.maxPingsInFlight());
    if (!budget.tryAcquire(permits)) {
      return CompletableFuture.failedFuture(atCapacity());
    }
    try {
      Upload upload = validate(protocol, groups);
      return publisher
          .publishAsync(upload.accepted, upload.rejected)
          .thenApply(durable -> upload.result())
          .whenComplete((result, failure) -> budget.release(permits));
    } catch (RuntimeException e) {
      budget.release(permits);
      return CompletableFuture.failedFuture(e);
    }
  }

  private static int count(List<AttributedItems> groups) {
    return groups.stream().mapToInt(group -> group.items().size()).sum();
  }

  private Upload validate(String protocol, List<AttributedItems> groups) {
    List<VehiclePing> accepted = new ArrayList<>();
    List<RejectedPing> rejected = new ArrayList<>();
    List<IntakeResult.ItemRejection> rejections = new ArrayList<>();
    for (AttributedItems group : groups) {
      Upload one = validate(group.device(), protocol, group.items());
      accepted.addAll(one.accepted);
      rejected.addAll(one.rejected);
      rejections.addAll(one.rejections);
    }
    rejections.sort(java.util.Comparator.comparingInt(IntakeResult.ItemRejection::index));
    return new Upload(accepted, rejected, rejections);
  }

  private PingsNotDurableException atCapacity() {
    return new IngestAtCapacityException(
        "ingest is at capacity (" + properties.maxPingsInFlight() + " pings in flight)");
  }

  private IntakeResult validateAndPublish(
      DeviceRegistration device, String protocol, List<DecodedPing> items) {
    Upload upload = validate(device, protocol, items);
    publisher.publish(upload.accepted, upload.rejected);
    return upload.result();
  }

  /** An upload's items sorted into what goes to the pings topic and what to the rejected one. */
  private record Upload(
      List<VehiclePing> accepted,
      List<RejectedPing> rejected,
      List<IntakeResult.ItemRejection> rejections) {

    IntakeResult result() {
      return new IntakeResult(accepted.size(), rejections);
    }
  }

  private Upload validate(DeviceRegistration device, String protocol, List<DecodedPing> items) {
    // Milliseconds are the contract's precision; finer digits would only make duplicates differ.
    Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<VehiclePing> accepted = new ArrayList<>(items.size());
    List<RejectedPing> rejected = new ArrayList<>();
    List<IntakeResult.ItemRejection> rejections = new ArrayList<>();
    for (DecodedPing item : items) {
      Optional<Rejection> rejection =
          item.malformed() != null
              ? Optional.of(item.malformed())
              : validator.validate(item.candidate());
      if (rejection.isPresent()) {
        rejected.add(
            RejectedPing.of(
                device.vehicleId().toString(),
                item.original().get(),
                rejection.get(),
                protocol,
                receivedAt,
                device.fleetId(),
                rejectedTopic.excerptBytes()));
        rejections.add(IntakeResult.ItemRejection.of(item.index(), rejection.get()));
      } else {
        accepted.add(toPing(device, protocol, receivedAt, item.candidate()));
      }
    }
    return new Upload(accepted, rejected, rejections);
  }

  /**
   * Records an upload that cannot be attributed to a device (unknown or unreadable sender) in the
   * rejected topic, so that nothing is dropped silently. The future completes once it is durable,
   * or fails with {@link PingsNotDurableException}; nothing waits for Kafka's answer meanwhile.
   */
  public CompletableFuture<Void> rejectUnattributedAsync(
      String key, String protocol, byte[] original, Rejection rejection) {
    Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    RejectedPing rejected =
        RejectedPing.of(
            key, original, rejection, protocol, receivedAt, null, rejectedTopic.excerptBytes());
    try {
      return publisher.publishAsync(List.of(), List.of(rejected));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static VehiclePing toPing(
      DeviceRegistration device, String protocol, Instant receivedAt, PingCandidate p) {
    return new VehiclePing(
        VehiclePing.CURRENT_VERSION,
        device.vehicleId(),
        device.fleetId(),
        device.deviceId(),
        protocol,
        p.recordedAt().truncatedTo(ChronoUnit.MILLIS),
        receivedAt,
        p.measurements(),
        p.attributes());
  }
}
