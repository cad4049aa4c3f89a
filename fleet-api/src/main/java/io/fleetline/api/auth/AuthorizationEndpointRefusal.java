package io.fleetline.api.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers every request to the authorization endpoint with {@code 400 unauthorized_client}: only
 * the client-credentials grant is offered, so no client may ask for an authorization code there.
 * Without it the library failed with a 500 for a known client that has no redirect URI. No redirect
 * is made, as none of the request's redirect URIs is registered (RFC 6749, 4.1.2.1).
 */
final class AuthorizationEndpointRefusal extends OncePerRequestFilter {

  private static final OAuth2Error REFUSAL =
      new OAuth2Error(
          OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
          "Only the client_credentials grant is offered; the authorization endpoint serves no"
              + " client.",
          null);

  private final String authorizationEndpoint;

  AuthorizationEndpointRefusal(String authorizationEndpoint) {
    this.authorizationEndpoint = authorizationEndpoint;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !authorizationEndpoint.equals(request.getServletPath());
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
