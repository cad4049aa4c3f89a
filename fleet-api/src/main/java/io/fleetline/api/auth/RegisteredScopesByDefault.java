package io.fleetline.api.auth;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;

/**
 * A client-credentials request without a {@code scope} is granted every scope the client is
 * registered for, as Keycloak, Auth0 and Okta do (RFC 6749 §3.3 leaves the default to the server);
 * the library alone would issue a token with no scope, which every call then refuses. A request
 * that names scopes is left to the library, which grants them when the client holds them all and
 * answers {@code invalid_scope} otherwise.
 */
final class RegisteredScopesByDefault implements AuthenticationProvider {

  private final AuthenticationProvider clientCredentials;

  private RegisteredScopesByDefault(AuthenticationProvider clientCredentials) {
    this.clientCredentials = clientCredentials;
  }

  /** Replaces the token endpoint's client-credentials provider with one that defaults its scope. */
  static void wrap(List<AuthenticationProvider> tokenEndpointProviders) {
    tokenEndpointProviders.replaceAll(
        p ->
            p instanceof OAuth2ClientCredentialsAuthenticationProvider
                ? new RegisteredScopesByDefault(p)
                : p);
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    var request = (OAuth2ClientCredentialsAuthenticationToken) authentication;
    if (request.getScopes().isEmpty()
        && request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
        && client.isAuthenticated()
        && client.getRegisteredClient() != null) {
      var defaulted =
          new OAuth2ClientCredentialsAuthenticationToken(
              client, client.getRegisteredClient().getScopes(), request.getAdditionalParameters());
      defaulted.setDetails(request.getDetails());
      return clientCredentials.authenticate(defaulted);
    }
    return clientCredentials.authenticate(request);
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return clientCredentials.supports(authentication);
  }
}
