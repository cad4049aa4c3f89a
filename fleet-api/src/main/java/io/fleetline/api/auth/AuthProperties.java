package io.fleetline.api.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the authorization and resource server ({@code fleetline.auth.*}).
 *
 * @param issuer the {@code iss} of issued tokens and the base of the token endpoint
 * @param signingKey location of a PKCS#8 PEM RSA private key that signs access tokens, e.g. {@code
 *     file:/etc/fleetline/jwt-signing-key.pem}
 * @param generateSigningKey sign with a key generated at start-up instead (tests only: tokens die
 *     with the process)
 * @param tokenTtl lifetime of access tokens
 * @param externalIssuerUri trust tokens of this external issuer (Keycloak, Auth0, ...) instead of
 *     the embedded server's
 * @param fleetClaim the JWT claim that carries the caller's fleet id
 * @param adminClientId the platform administrator client bootstrapped at start-up
 * @param adminClientSecret its secret, supplied by the operator; no admin client when empty
 * @param verifiedTokenCacheSize verified tokens remembered (by hash, until they expire) so that
 *     their signatures are not checked again on every request; 0 turns the cache off
 * @param audience the {@code aud} the embedded server puts into its tokens, and that every token
 *     must carry; with an external issuer, the audience that identity provider gives this API
 */
@ConfigurationProperties("fleetline.auth")
public record AuthProperties(
    @DefaultValue("http://127.0.0.1:8080") String issuer,
    String signingKey,
    @DefaultValue("false") boolean generateSigningKey,
    @DefaultValue("1h") Duration tokenTtl,
    String externalIssuerUri,
    @DefaultValue("fleet_id") String fleetClaim,
    @DefaultValue("platform-admin") String adminClientId,
    String adminClientSecret,
    @DefaultValue("10000") int verifiedTokenCacheSize,
    @DefaultValue("fleetline-api") String audience) {

  /** Whether tokens come from an external issuer instead of the embedded server. */
  public boolean externalIssuer() {
    return externalIssuerUri != null && !externalIssuerUri.isBlank();
  }
}
