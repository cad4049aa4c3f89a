package io.fleetline.routing.position;

import io.fleetline.common.VehiclePing;
import java.util.List;

/**
 * Hooks in a batch's transaction: just before it commits, everything written but nothing committed,
 * where tests inject the crash that redelivery must repair; and before anything is written or
 * locked, where tests hold a consumer until it has lost its partitions. The application's bean does
 * nothing.
 */
@FunctionalInterface
public interface BatchFault {

  BatchFault NONE = pings -> {};

  void beforeCommit(List<VehiclePing> pings);

  /** Called once the batch's transaction began, before it locks or writes anything. */
  default void beforeWrite(List<VehiclePing> pings) {}
}
