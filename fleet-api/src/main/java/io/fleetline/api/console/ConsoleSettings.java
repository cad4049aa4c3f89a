package io.fleetline.api.console;

import io.fleetline.api.auth.AuthProperties;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What the console needs to know to sign people in and call the API: the embedded authorization
 * server's endpoints and client, or, with an external issuer, that issuer's. Served as {@code
 * /console/config.json} and read by the console's security headers.
 */
@Component
class ConsoleSettings {

  /** Scopes the console asks for at the embedded server; each person gets those of their role. */
  static final String EMBEDDED_SCOPES = "fleet.read fleet.write fleet.admin";

  private final ConsoleConfig config;

  ConsoleSettings(
      ConsoleProperties console, ConsolePositionsProperties positions, AuthProperties auth) {
    this.config = config(console, positions, auth);
  }

  /**
   * The console's configuration as served to it; {@code positionsRefreshMs} is how often it reads
   * the latest positions again.
   */
  record ConsoleConfig(
      String clientId,
      String authorizationEndpoint,
      String tokenEndpoint,
      String revocationEndpoint,
      String logoutEndpoint,
      String redirectUri,
      String scopes,
      String apiBase,
      boolean externalIssuer,
      Tiles tiles,
      long positionsRefreshMs) {}

  record Tiles(String url, String attribution, int maxZoom) {}

  ConsoleConfig config() {
    return config;
  }

  /** Whether people sign in at an external issuer instead of the embedded login form. */
  static boolean externalIssuer(AuthProperties auth) {
    return auth.externalIssuer();
  }

  /**
   * Origins besides the console's own that it fetches from: the API and the token, revocation and
   * logout endpoints.
   */
  Set<String> connectOrigins() {
    Set<String> origins = new LinkedHashSet<>();
    for (String url :
        List.of(
            config.apiBase(),
            config.tokenEndpoint(),
            config.revocationEndpoint(),
            config.logoutEndpoint())) {
      String origin = origin(url);
      if (origin != null) {
        origins.add(origin);
      }
    }
    return origins;
  }

  /**
   * The source expression of the tile server for a Content-Security-Policy, e.g. {@code
   * https://tile.openstreetmap.org}; a {@code {s}} subdomain becomes a wildcard.
   */
  String tileSource() {
    String url = config.tiles().url().replace("{s}", "tiles-subdomain");
    String origin = origin(url.replaceAll("\\{[a-z]+}", "0"));
    return origin == null ? null : origin.replace("tiles-subdomain", "*");
  }

  private static ConsoleConfig config(
      ConsoleProperties console, ConsolePositionsProperties positions, AuthProperties auth) {
    var tiles =
        new Tiles(console.tiles().url(), console.tiles().attribution(), console.tiles().maxZoom());
    String issuer = withoutTrailingSlash(auth.issuer());
    String apiBase = console.apiBase().isBlank() ? issuer : withoutTrailingSlash(console.apiBase());
    long positionsRefreshMs = positions.refreshInterval().toMillis();
    if (externalIssuer(auth)) {
      var external = console.external();
      return new ConsoleConfig(
          external.clientId(),
          external.authorizationEndpoint(),
          external.tokenEndpoint(),
          external.revocationEndpoint(),
          external.logoutEndpoint(),
          console.redirectUris(auth.issuer()).get(0),
          external.scopes(),
          apiBase,
          true,
          tiles,
          positionsRefreshMs);
    }
    return new ConsoleConfig(
        console.clientId(),
        issuer + "/oauth2/authorize",
        issuer + "/oauth2/token",
        issuer + "/oauth2/revoke",
        issuer + ConsoleProperties.LOGOUT_PATH,
        console.redirectUris(auth.issuer()).get(0),
        EMBEDDED_SCOPES,
        apiBase,
        false,
        tiles,
        positionsRefreshMs);
  }

  private static String origin(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
