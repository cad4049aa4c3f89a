package io.fleetline.routing.event;

import java.util.UUID;

/** A detected event with the vehicle and fleet it belongs to, ready to be stored. */
public record PendingEvent(UUID vehicleId, UUID fleetId, DetectedEvent event) {}
