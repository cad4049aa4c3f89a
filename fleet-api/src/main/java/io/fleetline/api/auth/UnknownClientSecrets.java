package io.fleetline.api.auth;

import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;

/**
 * Checks the secret of an unknown (or revoked) client id against a hash of a random secret, made
 * with the same encoder as real ones, so that a wrong secret costs the same for an unknown id as
 * for an existing one and the answer's timing does not tell which client ids exist. Known ids are
 * left to the authorization server's own secret check, which runs next.
 */
final class UnknownClientSecrets implements AuthenticationProvider {

  private final ApiClientRepository clients;
  private final PasswordEncoder passwords;
  private final String unmatchableHash;

  UnknownClientSecrets(ApiClientRepository clients, PasswordEncoder passwords) {
    this.clients = clients;
    this.passwords = passwords;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.unmatchableHash = passwords.encode(Base64.getEncoder().encodeToString(secret));
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    var client = (OAuth2ClientAuthenticationToken) authentication;
    ClientAuthenticationMethod method = client.getClientAuthenticationMethod();
    if (!ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(method)
        && !ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(method)) {
      return null;
    }
    // A second look-up of a known id by the library's check; token requests are rare enough.
    if (clients.findByClientId(client.getPrincipal().toString()) != null) {
      return null;
    }
    passwords.matches(String.valueOf(client.getCredentials()), unmatchableHash);
    throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
