package io.fleetline.routing.position;

import io.fleetline.common.VehicleEvent;
import java.util.List;

/** The outcome of a committed batch: new history rows and the events stored for the first time. */
public record StoredBatch(int inserted, List<VehicleEvent> newEvents) {}
