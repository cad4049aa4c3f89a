package io.fleetline.api.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Identifies a public client (one without a secret, the console's) by its {@code client_id} when it
 * exchanges a refresh token or revokes one: the library identifies public clients only by the PKCE
 * verifier of an authorization-code exchange. Only a client registered for authentication method
 * {@code none} is identified this way; the refresh token itself is the proof, and it must have been
 * issued to that client.
 */
final class PublicClientRefresh implements AuthenticationConverter, AuthenticationProvider {

  private static final String PUBLIC_REFRESH = PublicClientRefresh.class.getName();

  private final RegisteredClientRepository clients;
  private final String revocationEndpoint;

  PublicClientRefresh(RegisteredClientRepository clients, String revocationEndpoint) {
    this.clients = clients;
    this.revocationEndpoint = revocationEndpoint;
  }

  @Override
  public Authentication convert(HttpServletRequest request) {
    if (request.getHeader(HttpHeaders.AUTHORIZATION) != null
        || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
        || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
      return null;
    }
    String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
    if (clientIds == null || clientIds.length != 1 || clientIds[0].isEmpty()) {
      return null;
    }
    boolean refresh =
        AuthorizationGrantType.REFRESH_TOKEN
            .getValue()
            .equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE));
    boolean revoke = revocationEndpoint.equals(request.getServletPath());
    if (!refresh && !revoke) {
      return null;
    }
    return new OAuth2ClientAuthenticationToken(
        clientIds[0], ClientAuthenticationMethod.NONE, null, Map.of(PUBLIC_REFRESH, true));
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    var client = (OAuth2ClientAuthenticationToken) authentication;
    if (!ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())
        || !Boolean.TRUE.equals(client.getAdditionalParameters().get(PUBLIC_REFRESH))) {
      return null;
    }
    RegisteredClient registered = clients.findByClientId(client.getPrincipal().toString());
    if (registered == null
        || !registered.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
      throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT));
    }
    return new OAuth2ClientAuthenticationToken(registered, ClientAuthenticationMethod.NONE, null);
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
