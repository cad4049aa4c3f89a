package io.fleetline.api.auth;

import io.fleetline.api.console.ConsoleProperties;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * The web console's public client (no secret) at the embedded authorization server: people sign in
 * with the authorization-code grant and PKCE (S256 only), to the configured redirect URIs exactly,
 * and keep signed in with refresh tokens that are replaced at every use. With an external issuer
 * there is none: people sign in there.
 */
@Component
class ConsoleClient {

  private final RegisteredClient client;

  ConsoleClient(ConsoleProperties console, AuthProperties auth) {
    this.client = auth.externalIssuer() ? null : build(console, auth);
  }

  /** The console's client, or {@code null} when people sign in at an external issuer. */
  RegisteredClient client() {
    return client;
  }

  boolean isConsole(String registeredClientId) {
    return client != null && client.getId().equals(registeredClientId);
  }

  private static RegisteredClient build(ConsoleProperties console, AuthProperties auth) {
    return RegisteredClient.withId(console.clientId())
        .clientId(console.clientId())
        .clientName("Fleetline console")
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .redirectUris(uris -> uris.addAll(console.redirectUris(auth.issuer())))
        .scopes(s -> s.addAll(Scopes.FLEET_SCOPES))
        .clientSettings(
            ClientSettings.builder()
                .requireProofKey(true)
                .requireAuthorizationConsent(false)
                .build())
        .tokenSettings(
            TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(console.accessTokenTtl())
                .refreshTokenTimeToLive(console.refreshTokenTtl())
                .reuseRefreshTokens(false)
                .authorizationCodeTimeToLive(Duration.ofMinutes(1))
                .build())
        .clientIdIssuedAt(Instant.EPOCH)
        .build();
  }
}
