package io.fleetline.routing.position;

import io.fleetline.common.VehiclePing;
import java.util.List;

/**
 * A hook just before a batch commits, everything written but nothing committed: where tests inject
 * the crash that redelivery must repair. The application's bean does nothing.
 */
@FunctionalInterface
public interface BatchFault {

  BatchFault NONE = pings -> {};

  void beforeCommit(List<VehiclePing> pings);
}
