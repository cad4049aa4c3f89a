package io.fleetline.api.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers every request to the authorization endpoint with {@code 400 unauthorized_client} unless
 * it comes from the console's client: API clients have only the client-credentials grant, so none
 * may ask for an authorization code there. Without it the library failed with a 500 for a known
 * client that has no redirect URI. No redirect is made, as none of the request's redirect URIs is
 * registered (RFC 6749, 4.1.2.1).
 */
final class AuthorizationEndpointRefusal extends OncePerRequestFilter {

  private static final OAuth2Error REFUSAL =
      new OAuth2Error(
          OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
          "Only the console's client may use the authorization endpoint; API clients have the"
              + " client_credentials grant.",
          null);

  private final String authorizationEndpoint;
  private final ConsoleClient console;

  AuthorizationEndpointRefusal(String authorizationEndpoint, ConsoleClient console) {
    this.authorizationEndpoint = authorizationEndpoint;
    this.console = console;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !authorizationEndpoint.equals(request.getServletPath()) || fromConsole(request);
  }

  private boolean fromConsole(HttpServletRequest request) {
    String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
    return console.client() != null
        && clientIds != null
        && clientIds.length == 1
        && console.client().getClientId().equals(clientIds[0]);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException {
    ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
    answer.setStatusCode(HttpStatus.BAD_REQUEST);
    new OAuth2ErrorHttpMessageConverter().write(REFUSAL, null, answer);
  }
}
