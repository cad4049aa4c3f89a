package io.fleetline.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.api.auth.AuthProperties;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the console is told, and what its security headers admit, with the embedded authorization
 * server and with an external issuer.
 */
class ConsoleSettingsTest {

  static AuthProperties auth(String externalIssuer) {
    return new AuthProperties(
        "https://fleet.example.com",
        null,
        true,
        Duration.ofHours(1),
        externalIssuer,
        "fleet_id",
        "platform-admin",
        null,
        100,
        "fleetline-api");
  }

  static ConsoleProperties console(String tilesUrl, ConsoleProperties.External external) {
    return new ConsoleProperties(
        "fleetline-console",
        List.of(),
        "",
        Duration.ofMinutes(5),
        Duration.ofHours(8),
        new ConsoleProperties.Tiles(tilesUrl, "© tiles", 18),
        external,
        new ConsoleProperties.FailedSignIns(5, 20, Duration.ofMinutes(15)));
  }

  static final ConsoleProperties.External KEYCLOAK =
      new ConsoleProperties.External(
          "console",
          "https://sso.example.com/realms/fleet/protocol/openid-connect/auth",
          "https://sso.example.com/realms/fleet/protocol/openid-connect/token",
          "https://sso.example.com/realms/fleet/protocol/openid-connect/revoke",
          "https://sso.example.com/realms/fleet/protocol/openid-connect/logout",
          "openid fleet.read");

  static final ConsolePositionsProperties EVERY_30_S =
      new ConsolePositionsProperties(Duration.ofSeconds(30));

  @Test
  void withAnExternalIssuerTheConsoleSignsInThereAndItsEndpointsMayBeFetched() {
    var settings =
        new ConsoleSettings(
            console("https://tile.openstreetmap.org/{z}/{x}/{y}.png", KEYCLOAK),
            EVERY_30_S,
            auth("https://sso.example.com/realms/fleet"));

    var config = settings.config();
    assertThat(config.externalIssuer()).isTrue();
    assertThat(config.clientId()).isEqualTo("console");
    assertThat(config.authorizationEndpoint()).isEqualTo(KEYCLOAK.authorizationEndpoint());
    assertThat(config.tokenEndpoint()).isEqualTo(KEYCLOAK.tokenEndpoint());
    assertThat(config.logoutEndpoint()).isEqualTo(KEYCLOAK.logoutEndpoint());
    assertThat(config.scopes()).isEqualTo("openid fleet.read");
    assertThat(config.apiBase()).isEqualTo("https://fleet.example.com");
    assertThat(ConsoleSecurity.policy(settings))
        .contains("connect-src 'self' https://fleet.example.com https://sso.example.com;");
  }

  @Test
  void embeddedServerIsTheIssuerAndTheRedirectIsTheIssuersConsole() {
    var settings =
        new ConsoleSettings(
            console("https://tile.openstreetmap.org/{z}/{x}/{y}.png", KEYCLOAK),
            EVERY_30_S,
            auth(""));

    var config = settings.config();
    assertThat(config.externalIssuer()).isFalse();
    assertThat(config.clientId()).isEqualTo("fleetline-console");
    assertThat(config.tokenEndpoint()).isEqualTo("https://fleet.example.com/oauth2/token");
    assertThat(config.redirectUri()).isEqualTo("https://fleet.example.com/console/");
  }

  @Test
  void tileServerWithSubdomainsIsAdmittedAsAWildcardHost() {
    var settings =
        new ConsoleSettings(
            console("https://{s}.tiles.example.net:8443/{z}/{x}/{y}.png?key=k", KEYCLOAK),
            EVERY_30_S,
            auth(""));

    assertThat(ConsoleSecurity.policy(settings))
        .contains("img-src 'self' data: https://*.tiles.example.net:8443;");
  }

  @Test
  void consoleIsToldHowOftenToReadTheLatestPositionsAgain() {
    var settings =
        new ConsoleSettings(
            console("https://tile.openstreetmap.org/{z}/{x}/{y}.png", KEYCLOAK),
            new ConsolePositionsProperties(Duration.ofSeconds(5)),
            auth(""));

    assertThat(settings.config().positionsRefreshMs()).isEqualTo(5000);
  }

  @Test
  void refreshingPositionsMoreThanOnceASecondIsRefusedAtStart() {
    assertThatThrownBy(() -> new ConsolePositionsProperties(Duration.ofMillis(500)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fleetline.console.positions.refresh-interval");
  }
}
