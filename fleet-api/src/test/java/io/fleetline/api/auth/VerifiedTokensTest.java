package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** The cache of verified tokens: it saves the signature check and nothing else. */
class VerifiedTokensTest {

  final AtomicInteger verifications = new AtomicInteger();
  final Set<String> revoked = new HashSet<>();
  Instant now = Instant.parse("2026-11-26T10:00:00Z");

  /** Verifies a token named "subject:expiry-epoch-second"; "forged:..." fails. */
  final JwtDecoder verifier =
      token -> {
        verifications.incrementAndGet();
        String[] parts = token.split(":");
        if (parts[0].equals("forged")) {
          throw new BadJwtException("bad signature");
        }
        return Jwt.withTokenValue(token)
            .header("alg", "RS256")
            .subject(parts[0])
            .issuedAt(now.minusSeconds(10))
            .expiresAt(Instant.ofEpochSecond(Long.parseLong(parts[1])))
            .build();
      };

  final VerifiedTokens tokens =
      new VerifiedTokens(
          verifier,
          jwt ->
              revoked.contains(jwt.getSubject()) || !jwt.getExpiresAt().isAfter(now)
                  ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token"))
                  : OAuth2TokenValidatorResult.success(),
          3);

  String token(String subject) {
    return subject + ":" + now.plusSeconds(3600).getEpochSecond();
  }

  @Test
  void aRememberedTokenIsNotVerifiedAgain() {
    String token = token("a");
    assertThat(tokens.decode(token).getSubject()).isEqualTo("a");
    assertThat(tokens.decode(token).getSubject()).isEqualTo("a");
    assertThat(tokens.decode(token("b")).getSubject()).isEqualTo("b");
    assertThat(verifications).hasValue(2);
  }

  @Test
  void aRememberedTokenOfARevokedClientIsRefusedAtOnce() {
    String token = token("a");
    tokens.decode(token);
    revoked.add("a");
    assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(BadJwtException.class);
    assertThat(tokens.size()).isZero();
  }

  @Test
  void aRememberedTokenStopsWorkingWhenItExpires() {
    String token = token("a");
    tokens.decode(token);
    now = now.plusSeconds(3600);
    assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(BadJwtException.class);
  }

  @Test
  void aTokenThatFailsVerificationIsNotRemembered() {
    assertThatThrownBy(() -> tokens.decode("forged:1")).isInstanceOf(BadJwtException.class);
    assertThatThrownBy(() -> tokens.decode("forged:1")).isInstanceOf(BadJwtException.class);
    assertThat(verifications).hasValue(2);
    assertThat(tokens.size()).isZero();
  }

  @Test
  void theCacheStaysWithinItsSize() {
    for (int i = 0; i < 10; i++) {
      tokens.decode(token("client-" + i));
      assertThat(tokens.size()).isLessThanOrEqualTo(3);
    }
  }
}
