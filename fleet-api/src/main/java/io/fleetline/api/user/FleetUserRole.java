package io.fleetline.api.user;

import io.fleetline.api.auth.Scopes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a person may do in their fleet, as the scopes their tokens carry. */
public enum FleetUserRole {
  /** Reads everything of the fleet. */
  VIEWER("viewer", List.of(Scopes.FLEET_READ)),
  /** Also registers and changes vehicles, devices and geofences. */
  MANAGER("manager", List.of(Scopes.FLEET_READ, Scopes.FLEET_WRITE)),
  /** Also manages the fleet's API clients and people. */
  FLEET_ADMIN("fleet_admin", List.of(Scopes.FLEET_READ, Scopes.FLEET_WRITE, Scopes.FLEET_ADMIN));

  private final String value;
  private final List<String> scopes;

  FleetUserRole(String value, List<String> scopes) {
    this.value = value;
    this.scopes = scopes;
  }

  /** The role's name in the API and the database. */
  public String value() {
    return value;
  }

  public List<String> scopes() {
    return scopes;
  }

  public static Optional<FleetUserRole> of(String value) {
    return Arrays.stream(values()).filter(r -> r.value.equals(value)).findFirst();
  }
}
