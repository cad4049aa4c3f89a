package io.fleetline.api.user;

import java.time.Instant;
import java.util.UUID;

/** A person of a fleet who signs in to the console, as stored (with the password's hash). */
public record FleetUser(
    UUID id,
    UUID fleetId,
    String email,
    String displayName,
    String passwordHash,
    FleetUserRole role,
    boolean enabled,
    Instant createdAt,
    Instant lastSignedInAt) {}
