package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.fleetline.api.testing.FleetApiTest;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The embedded server issues its tokens for the API's audience, and the API refuses tokens signed
 * with its own key that carry no expiry or name another audience.
 */
class TokenClaimsTest extends FleetApiTest {

  @Autowired RSAKey signingKey;

  @Test
  void issuedTokensNameTheApiAsTheirAudienceAndExpire() throws Exception {
    JWTClaimsSet claims = SignedJWT.parse(fleetToken).getJWTClaimsSet();

    assertThat(claims.getAudience()).containsExactly("fleetline-api");
    assertThat(claims.getExpirationTime()).isNotNull();
    assertThat(api.get("/api/v1/vehicles", fleetToken).status()).isEqualTo(200);
  }

  @Test
  void aSignedTokenWithoutExpiryIsRefused() throws Exception {
    String forever = sign(claims(List.of("fleetline-api")).build());

    var response = api.get("/api/v1/vehicles", forever);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @Test
  void aSignedTokenForAnotherAudienceIsRefused() throws Exception {
    Date expiry = Date.from(Instant.now().plusSeconds(300));
    String foreign = sign(claims(List.of("billing-app")).expirationTime(expiry).build());
    String valid = sign(claims(List.of("fleetline-api")).expirationTime(expiry).build());

    assertThat(api.get("/api/v1/vehicles", foreign).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/vehicles", valid).status())
        .as("the same token for this API")
        .isEqualTo(200);
  }

  @Test
  void aTokenIssuedBeforeTheAudienceWasNamedStaysValidUntilItExpires() throws Exception {
    Date expiry = Date.from(Instant.now().plusSeconds(300));
    String clientId = "flc_issued-before";
    String earlier =
        sign(claims(List.of(clientId)).subject(clientId).expirationTime(expiry).build());
    String otherClients =
        sign(claims(List.of("flc_someone-else")).subject(clientId).expirationTime(expiry).build());

    assertThat(api.get("/api/v1/vehicles", earlier).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/vehicles", otherClients).status()).isEqualTo(401);
  }

  @Test
  void aRateClaimThatIsNoNumberLeavesTheClientAtTheDefaultRate() throws Exception {
    Date expiry = Date.from(Instant.now().plusSeconds(300));
    String token =
        sign(
            claims(List.of("fleetline-api"))
                .expirationTime(expiry)
                .claim("rate_limit", "unlimited")
                .build());

    assertThat(api.get("/api/v1/vehicles", token).status()).isEqualTo(200);
  }

  private JWTClaimsSet.Builder claims(List<String> audience) {
    return new JWTClaimsSet.Builder()
        .issuer("http://fleetline.test")
        .subject("crafted-" + uuid())
        .audience(audience)
        .claim("fleet_id", fleetId)
        .claim("scope", List.of("fleet.read"))
        .issueTime(new Date());
  }

  private String sign(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(signingKey));
    return jwt.serialize();
  }
}
