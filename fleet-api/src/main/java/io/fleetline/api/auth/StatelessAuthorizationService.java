package io.fleetline.api.auth;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps no record of issued tokens. Only the client-credentials grant is offered and its access
 * tokens are self-contained JWTs, so there is nothing to look up later; remembering every token in
 * memory (the library's default) would grow without bound.
 */
class StatelessAuthorizationService implements OAuth2AuthorizationService {

  @Override
  public void save(OAuth2Authorization authorization) {}

  @Override
  public void remove(OAuth2Authorization authorization) {}

  @Override
  public OAuth2Authorization findById(String id) {
    return null;
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    return null;
  }
}
