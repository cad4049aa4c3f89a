package io.fleetline.api.auth;

import java.util.Set;

/** The OAuth2 scopes of the API, and the authorities Spring Security derives from them. */
public final class Scopes {

  public static final String FLEET_READ = "fleet.read";
  public static final String FLEET_WRITE = "fleet.write";
  public static final String FLEET_ADMIN = "fleet.admin";
  public static final String PLATFORM_ADMIN = "platform.admin";

  /** Scopes a fleet's own clients may hold. */
  public static final Set<String> FLEET_SCOPES = Set.of(FLEET_READ, FLEET_WRITE, FLEET_ADMIN);

  private Scopes() {}

  public static String authority(String scope) {
    return "SCOPE_" + scope;
  }
}
