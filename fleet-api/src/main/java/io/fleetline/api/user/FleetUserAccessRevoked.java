package io.fleetline.api.user;

import java.util.UUID;

/**
 * A person was disabled, deleted, or given another role or password: their sign-ins end and the
 * tokens they hold stop working.
 */
public record FleetUserAccessRevoked(UUID userId) {}
