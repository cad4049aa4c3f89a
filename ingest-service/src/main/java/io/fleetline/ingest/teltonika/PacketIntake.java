package io.fleetline.ingest.teltonika;

import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.intake.IntakeResult;
import java.util.List;

/**
 * Where a connection's decoded records go: in the application {@code PingIntake.accept(device,
 * "teltonika", items)}, which returns only once every item is durable in Kafka.
 */
@FunctionalInterface
interface PacketIntake {

  /**
   * @throws io.fleetline.ingest.publish.PingsNotDurableException when Kafka cannot take them now
   */
  IntakeResult accept(DeviceRegistration device, List<DecodedPing> items);
}
