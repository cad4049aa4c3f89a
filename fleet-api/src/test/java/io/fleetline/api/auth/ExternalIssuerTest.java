package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * With {@code external-issuer-uri} set, fleet-api trusts that issuer's tokens (keys from its
 * discovery document) and reads the fleet from the configured claim; the embedded key is not
 * accepted for them. The issuer is a small HTTP server playing Keycloak.
 */
class ExternalIssuerTest {

  final RSAKey issuerKey = SigningKeys.generate();
  HttpServer server;
  String issuer;

  @BeforeEach
  void issuer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/fleet";
    String discovery =
        "{\"issuer\":\""
            + issuer
            + "\",\"jwks_uri\":\""
            + issuer
            + "/certs\","
            + "\"subject_types_supported\":[\"public\"]}";
    String jwks = new JWKSet(issuerKey.toPublicJWK()).toString();
    server.createContext(
        "/realms/fleet/.well-known/openid-configuration", e -> answer(e, discovery));
    server.createContext("/realms/fleet/certs", e -> answer(e, jwks));
    server.start();
    // Answer one request before the decoder asks, so a cold JVM on a busy machine is not mistaken
    // for an unreachable issuer.
    java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(issuer + "/.well-known/openid-configuration"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json)
      throws java.io.IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private AuthProperties properties() {
    return new AuthProperties(
        "http://fleetline.test",
        null,
        true,
        Duration.ofHours(1),
        issuer,
        "tenant",
        "a",
        null,
        100,
        "fleetline-api");
  }

  private JwtDecoder decoder(AuthProperties properties) throws Exception {
    return new SecurityConfiguration()
        .jwtDecoder(properties, SigningKeys.generate(), new RevokedClients(null, null, properties));
  }

  @Test
  void tokensOfTheExternalIssuerAreTrustedAndCarryTheFleetInTheConfiguredClaim() throws Exception {
    AuthProperties properties = properties();
    RSAKey embedded = SigningKeys.generate();
    JwtDecoder decoder =
        new SecurityConfiguration()
            .jwtDecoder(properties, embedded, new RevokedClients(null, null, properties));
    UUID fleet = UUID.randomUUID();

    Jwt jwt = decoder.decode(token(issuerKey, issuer, fleet));

    assertThat(jwt.getSubject()).isEqualTo("keycloak-client");
    var caller = new TestingAuthenticationToken(jwt, null, List.of());
    assertThat(new CallerFleet(properties).of(caller)).isEqualTo(fleet);
    assertThatThrownBy(() -> decoder.decode(token(embedded, issuer, fleet)))
        .as("signed by a key the issuer does not publish")
        .isInstanceOf(JwtException.class);
    assertThatThrownBy(() -> decoder.decode(token(issuerKey, "http://elsewhere", fleet)))
        .as("another issuer")
        .isInstanceOf(JwtException.class);
  }

  @Test
  void aTokenTheIssuerMadeForAnotherApplicationIsRefused() throws Exception {
    JwtDecoder decoder = decoder(properties());
    UUID fleet = UUID.randomUUID();

    assertThatThrownBy(
            () -> decoder.decode(token(issuerKey, issuer, fleet, List.of("billing-app"), true)))
        .isInstanceOf(JwtException.class)
        .hasMessageContaining("aud");
    assertThatThrownBy(() -> decoder.decode(token(issuerKey, issuer, fleet, List.of(), true)))
        .as("no audience at all")
        .isInstanceOf(JwtException.class);
    assertThat(
            decoder
                .decode(
                    token(issuerKey, issuer, fleet, List.of("billing-app", "fleetline-api"), true))
                .getSubject())
        .as("one of its audiences is this API")
        .isEqualTo("keycloak-client");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void tokensWithoutTheAudienceAreToldOnceWithHowToSetIt(CapturedOutput output) throws Exception {
    JwtDecoder decoder = decoder(properties());
    UUID fleet = UUID.randomUUID();

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(
              () -> decoder.decode(token(issuerKey, issuer, fleet, List.of("account"), true)))
          .isInstanceOf(JwtException.class);
    }

    String warning = "do not carry the audience \"fleetline-api\"";
    assertThat(output.getOut()).contains(warning).contains("FLEETLINE_AUTH_AUDIENCE");
    assertThat(output.getOut().split(java.util.regex.Pattern.quote(warning), -1)).hasSize(2);
  }

  @Test
  void aTokenWithoutExpiryIsRefused() throws Exception {
    JwtDecoder decoder = decoder(properties());

    assertThatThrownBy(
            () ->
                decoder.decode(
                    token(issuerKey, issuer, UUID.randomUUID(), List.of("fleetline-api"), false)))
        .isInstanceOf(JwtException.class)
        .hasMessageContaining("exp");
  }

  private static String token(RSAKey key, String iss, UUID fleet) throws Exception {
    return token(key, iss, fleet, List.of("fleetline-api"), true);
  }

  private static String token(
      RSAKey key, String iss, UUID fleet, List<String> audience, boolean expires) throws Exception {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(iss)
            .subject("keycloak-client")
            .audience(audience)
            .claim("tenant", fleet.toString())
            .claim("scope", "fleet.read")
            .issueTime(new Date());
    if (expires) {
      claims.expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
