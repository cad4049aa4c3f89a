package io.fleetline.api.auth;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Refresh tokens for clients registered for the refresh-token grant, the console's public client
 * included: the library's generator issues none to a public client, whose refresh tokens a browser
 * cannot keep secret. The console's are safe enough to issue because each is replaced at its first
 * use, a replaced one presented again ends the whole sign-in, and they live a working day.
 */
final class ConsoleRefreshTokens implements OAuth2TokenGenerator<OAuth2RefreshToken> {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public OAuth2RefreshToken generate(OAuth2TokenContext context) {
    if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())
        || !context
            .getRegisteredClient()
            .getAuthorizationGrantTypes()
            .contains(AuthorizationGrantType.REFRESH_TOKEN)) {
      return null;
    }
    byte[] value = new byte[32];
    RANDOM.nextBytes(value);
    Instant issuedAt = Instant.now();
    return new OAuth2RefreshToken(
        Base64.getUrlEncoder().withoutPadding().encodeToString(value),
        issuedAt,
        issuedAt.plus(
            context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive()));
  }
}
