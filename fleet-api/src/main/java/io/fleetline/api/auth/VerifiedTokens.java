package io.fleetline.api.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A {@link JwtDecoder} that remembers the tokens it has verified, by their SHA-256, until they
 * expire: a client sends the same token with every request, and parsing it and checking its RSA
 * signature each time cost more than the query behind a small answer. The cheap checks — expiry and
 * revocation — still run on every request, so a revoked client's token stops working exactly as
 * soon as without the cache.
 */
final class VerifiedTokens implements JwtDecoder {

  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private final JwtDecoder verifier;
  private final OAuth2TokenValidator<Jwt> everyRequest;
  private final int maxTokens;
  private final Map<TokenHash, Jwt> verified = new ConcurrentHashMap<>();

  /**
   * @param verifier parses, verifies and validates a token the cache has not seen
   * @param everyRequest what is checked again on each use of a remembered token
   * @param maxTokens tokens remembered at most; beyond it the expired ones, or else all, are
   *     dropped
   */
  VerifiedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> everyRequest, int maxTokens) {
    this.verifier = verifier;
    this.everyRequest = everyRequest;
    this.maxTokens = maxTokens;
  }

  @Override
  public Jwt decode(String token) {
    TokenHash key = TokenHash.of(token);
    Jwt jwt = verified.get(key);
    if (jwt == null) {
      jwt = verifier.decode(token);
      remember(key, jwt);
      return jwt;
    }
    OAuth2TokenValidatorResult result = everyRequest.validate(jwt);
    if (result.hasErrors()) {
      verified.remove(key);
      throw new JwtValidationException(
          "An error occurred while attempting to decode the Jwt: "
              + result.getErrors().iterator().next().getDescription(),
          result.getErrors());
    }
    return jwt;
  }

  int size() {
    return verified.size();
  }

  private void remember(TokenHash key, Jwt jwt) {
    if (maxTokens <= 0) {
      return;
    }
    if (verified.size() >= maxTokens) {
      Instant now = Instant.now();
      verified.values().removeIf(t -> t.getExpiresAt() == null || t.getExpiresAt().isBefore(now));
      if (verified.size() >= maxTokens) {
        verified.clear();
      }
    }
    verified.put(key, jwt);
  }

  /** A token's SHA-256; the cache keeps no bearer token itself. */
  private record TokenHash(long a, long b, long c, long d) {
    static TokenHash of(String token) {
      ByteBuffer digest =
          ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.US_ASCII)));
      return new TokenHash(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
    }
  }
}
