package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The scopes a client-credentials token carries, asked for through the real token endpoint: all of
 * the client's registered scopes without a {@code scope} parameter, the requested ones otherwise,
 * and {@code invalid_scope} for one the client does not hold.
 */
class ClientCredentialsScopesTest extends FleetApiTest {

  @Test
  void aRequestWithoutScopeIsGrantedEveryRegisteredScope() throws Exception {
    JsonNode client = createClient(fleetId, "fleet.read fleet.write");

    ApiClient.Response response = tokenResponse(client, null);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    String token = response.json().get("access_token").stringValue();
    assertThat(scopes(token)).containsExactlyInAnyOrder("fleet.read", "fleet.write");
    assertThat(api.get("/api/v1/vehicles", token).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/vehicles", token, "{\"name\":\"Defaulted\"}").status())
        .isEqualTo(201);
  }

  @Test
  void anEmptyScopeParameterCountsAsNone() throws Exception {
    JsonNode client = createClient(fleetId, "fleet.read");

    ApiClient.Response response = tokenResponse(client, "");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(scopes(response.json().get("access_token").stringValue()))
        .containsExactly("fleet.read");
  }

  @Test
  void aRequestedSubsetIsAllTheTokenCarries() throws Exception {
    JsonNode client = createClient(fleetId, "fleet.read fleet.write fleet.admin");

    ApiClient.Response response = tokenResponse(client, "fleet.read");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    String token = response.json().get("access_token").stringValue();
    assertThat(scopes(token)).containsExactly("fleet.read");
    assertThat(api.get("/api/v1/vehicles", token).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/vehicles", token, "{\"name\":\"Refused\"}").status())
        .isEqualTo(403);
  }

  @Test
  void aScopeTheClientIsNotRegisteredForIsInvalidScope() throws Exception {
    JsonNode client = createClient(fleetId, "fleet.read");

    for (String scope : List.of("fleet.read fleet.write", "platform.admin", "openid")) {
      ApiClient.Response response = tokenResponse(client, scope);

      assertThat(response.status()).as(scope + ": " + response.body()).isEqualTo(400);
      assertThat(response.json().get("error").stringValue()).isEqualTo("invalid_scope");
    }
  }

  private ApiClient.Response tokenResponse(JsonNode client, String scope) throws Exception {
    return api.tokenResponse(
        client.get("clientId").stringValue(), client.get("clientSecret").stringValue(), scope);
  }

  private static List<String> scopes(String token) throws Exception {
    return SignedJWT.parse(token).getJWTClaimsSet().getStringListClaim("scope");
  }
}
