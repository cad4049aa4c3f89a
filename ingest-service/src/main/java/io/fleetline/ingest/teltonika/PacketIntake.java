package io.fleetline.ingest.teltonika;

import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.intake.IntakeResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a connection's decoded records go: in the application {@code PingIntake.acceptAsync(device,
 * "teltonika", items)}, which hands them to Kafka without blocking the event loop.
 */
@FunctionalInterface
interface PacketIntake {

  /**
   * Hands the items over; the future completes once every one is durable in Kafka, or fails with
   * {@link io.fleetline.ingest.publish.PingsNotDurableException} when Kafka cannot take them now.
   */
  CompletableFuture<IntakeResult> accept(DeviceRegistration device, List<DecodedPing> items);
}
