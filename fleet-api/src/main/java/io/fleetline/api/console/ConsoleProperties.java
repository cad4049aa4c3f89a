package io.fleetline.api.console;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the web console and of its sign-in ({@code fleetline.console.*}).
 *
 * @param clientId the public OAuth2 client of the console at the embedded authorization server
 * @param redirectUris where the authorization server may send the browser back with a code; only
 *     these exact URIs are accepted
 * @param apiBase the API's base URL the console calls; empty for the authorization server's issuer
 * @param accessTokenTtl lifetime of a signed-in person's access token
 * @param refreshTokenTtl lifetime of a refresh token; each refresh replaces it with a new one
 * @param tiles the map tiles the console shows
 * @param external the console's client at an external issuer, when one is configured
 * @param failedSignIns wrong passwords allowed before the sign-in form refuses further attempts
 */
@ConfigurationProperties("fleetline.console")
public record ConsoleProperties(
    @DefaultValue("fleetline-console") String clientId,
    @DefaultValue({}) List<String> redirectUris,
    @DefaultValue("") String apiBase,
    @DefaultValue("5m") Duration accessTokenTtl,
    @DefaultValue("8h") Duration refreshTokenTtl,
    @DefaultValue Tiles tiles,
    @DefaultValue External external,
    @DefaultValue FailedSignIns failedSignIns) {

  /** The sign-in form of the embedded authorization server. */
  public static final String LOGIN_PATH = "/console/login";

  /** Ends a console sign-in: revokes its refresh token and ends the sign-in session. */
  public static final String LOGOUT_PATH = "/console/logout";

  /** The redirect URIs the embedded server accepts: those configured, or the issuer's console. */
  public List<String> redirectUris(String issuer) {
    if (!redirectUris.isEmpty()) {
      return redirectUris;
    }
    return List.of((issuer.endsWith("/") ? issuer : issuer + "/") + "console/");
  }

  /**
   * The map tiles: a URL template with {@code {z}}, {@code {x}}, {@code {y}} (and optionally {@code
   * {s}}), their attribution and the highest zoom level.
   */
  public record Tiles(
      @DefaultValue("https://tile.openstreetmap.org/{z}/{x}/{y}.png") String url,
      @DefaultValue("© OpenStreetMap contributors") String attribution,
      @DefaultValue("19") int maxZoom) {}

  /** The console's public client at an external issuer, and that issuer's endpoints. */
  public record External(
      @DefaultValue("") String clientId,
      @DefaultValue("") String authorizationEndpoint,
      @DefaultValue("") String tokenEndpoint,
      @DefaultValue("") String revocationEndpoint,
      @DefaultValue("") String logoutEndpoint,
      @DefaultValue("openid fleet.read fleet.write fleet.admin") String scopes) {}

  /**
   * Wrong passwords allowed at the sign-in form, each limit a bucket that refills over {@code
   * window}, counted for all instances together in the database.
   *
   * @param perAccount wrong passwords for one account, from anywhere
   * @param perAddress wrong passwords from one source address, for any account (IPv6 by /64)
   * @param window the time in which each bucket refills completely
   */
  public record FailedSignIns(
      @DefaultValue("5") int perAccount,
      @DefaultValue("20") int perAddress,
      @DefaultValue("15m") Duration window) {}
}
