package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.api.testing.RawHttp;
import io.fleetline.api.testing.RawHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization server's endpoints answer requests it does not support, and malformed client
 * credentials, with a 4xx, never a 500.
 */
class AuthorizationServerProbeTest extends FleetApiTest {

  static final String FROM = "127.0.0.20";

  RawHttp http;

  @BeforeAll
  void raw() {
    http = new RawHttp(port);
  }

  private static String basic(byte[] credentials) {
    return "Authorization: Basic " + Base64.getEncoder().encodeToString(credentials) + "\r\n";
  }

  private static String basic(String credentials) {
    return basic(credentials.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] form(String body) {
    return body.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void anAuthorizationCodeRequestOfAKnownClientIs400UnauthorizedClientNotA500() throws Exception {
    String admin = basic("test-admin:" + ADMIN_SECRET);
    Answer[] answers = {
      http.send(FROM, "GET", "/oauth2/authorize?response_type=code&client_id=test-admin", "", null),
      http.send(
          FROM, "GET", "/oauth2/authorize?response_type=code&client_id=test-admin", admin, null),
      http.send(
          FROM, "POST", "/oauth2/authorize", "", form("response_type=code&client_id=test-admin")),
      http.send(FROM, "GET", "/oauth2/authorize?response_type=token&client_id=unknown", "", null)
    };

    for (Answer answer : answers) {
      assertThat(answer.status()).as(answer.body()).isEqualTo(400);
      assertThat(answer.header("Location")).as("no redirect").isNull();
      assertThat(answer.header("Content-Type")).startsWith("application/json");
      assertThat(answer.body()).contains("\"error\":\"unauthorized_client\"");
    }
  }

  @Test
  void unsupportedRequestsAndMalformedClientCredentialsAreAnswered4xxNotA500() throws Exception {
    String admin = basic("test-admin:" + ADMIN_SECRET);
    String adminToken = api.token("test-admin", ADMIN_SECRET, "platform.admin");
    List<String> results = new ArrayList<>();
    Object[][] probes = {
      {"GET", "/oauth2/authorize?response_type=code&client_id=test-admin", "", null},
      {"GET", "/oauth2/authorize?response_type=code&client_id=unknown", "", null},
      {"GET", "/oauth2/authorize?response_type=token&client_id=test-admin", "", null},
      {"GET", "/oauth2/authorize", "", null},
      {
        "GET",
        "/oauth2/authorize?response_type=code&client_id=test-admin&redirect_uri=https://evil.example/cb&scope=platform.admin&state=x",
        "",
        null
      },
      {"POST", "/oauth2/authorize", "", form("response_type=code&client_id=test-admin")},
      {"GET", "/oauth2/authorize?response_type=code&client_id=test-admin", admin, null},
      {"POST", "/oauth2/introspect", "", form("token=abc")},
      {"POST", "/oauth2/introspect", admin, form("token=abc")},
      {"POST", "/oauth2/introspect", admin, form("token=" + adminToken)},
      {"POST", "/oauth2/introspect", admin, form("")},
      {"POST", "/oauth2/revoke", "", form("token=abc")},
      {"POST", "/oauth2/revoke", admin, form("token=abc")},
      {"POST", "/oauth2/revoke", admin, form("token=" + adminToken)},
      {"GET", "/oauth2/jwks", "", null},
      {"GET", "/.well-known/oauth-authorization-server", "", null},
      {"GET", "/.well-known/openid-configuration", "", null},
      {"GET", "/.well-known/oauth-authorization-server/evil", "", null},
      {"GET", "/oauth2/token", "", null},
      {"POST", "/oauth2/token", "", form("grant_type=client_credentials")},
      {"POST", "/oauth2/token", admin, form("")},
      {"POST", "/oauth2/token", admin, form("grant_type=authorization_code&code=x")},
      {"POST", "/oauth2/token", admin, form("grant_type=password&username=a&password=b")},
      {"POST", "/oauth2/token", admin, form("grant_type=refresh_token&refresh_token=x")},
      {"POST", "/oauth2/token", admin, form("grant_type=client_credentials&scope=nonsense")},
      {"POST", "/oauth2/token", admin, form("grant_type=client_credentials&grant_type=x")},
      {
        "POST",
        "/oauth2/token",
        "Authorization: Basic !!!\r\n",
        form("grant_type=client_credentials")
      },
      {"POST", "/oauth2/token", "Authorization: Basic\r\n", form("grant_type=client_credentials")},
      {"POST", "/oauth2/token", basic("nocolon"), form("grant_type=client_credentials")},
      {"POST", "/oauth2/token", basic(":secret"), form("grant_type=client_credentials")},
      {"POST", "/oauth2/token", basic("id:"), form("grant_type=client_credentials")},
      {"POST", "/oauth2/token", basic("%zz:secret"), form("grant_type=client_credentials")},
      {"POST", "/oauth2/token", basic("a:%zz"), form("grant_type=client_credentials")},
      {
        "POST",
        "/oauth2/token",
        basic("x".repeat(6000) + ":s"),
        form("grant_type=client_credentials")
      },
      {
        "POST",
        "/oauth2/token",
        basic(new byte[] {(byte) 0xff, (byte) 0xfe, ':', (byte) 0xc3, 0x28}),
        form("grant_type=client_credentials")
      },
      {
        "POST",
        "/oauth2/token",
        "Authorization: Basic \u00ff\u00fe\r\n",
        form("grant_type=client_credentials")
      },
      {"POST", "/oauth2/token", "", form("grant_type=client_credentials&client_id=")},
      {
        "POST",
        "/oauth2/token",
        "",
        form("grant_type=client_credentials&client_id=a&client_secret=")
      },
      {
        "POST",
        "/oauth2/token",
        "",
        form("grant_type=client_credentials&client_id=%ff%fe&client_secret=x")
      },
      {
        "POST",
        "/oauth2/token",
        "",
        form("grant_type=client_credentials&client_id=a&client_id=b&client_secret=x")
      },
      {
        "POST",
        "/oauth2/token",
        admin,
        form("grant_type=client_credentials&client_id=test-admin&client_secret=x")
      },
      {"POST", "/oauth2/token", "", form("grant_type=client_credentials&client_id=test-admin")},
      {
        "POST",
        "/oauth2/token",
        "",
        form(
            "grant_type=client_credentials&client_id=test-admin&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=abc")
      },
      {"POST", "/oauth2/device_authorization", admin, form("scope=platform.admin")},
      {"POST", "/oauth2/par", admin, form("response_type=code&client_id=test-admin")},
      {"POST", "/connect/register", "", form("")},
      {"GET", "/userinfo", "", null},
      {"GET", "/connect/logout", "", null},
    };
    for (Object[] probe : probes) {
      Answer answer =
          http.send(
              FROM, (String) probe[0], (String) probe[1], (String) probe[2], (byte[]) probe[3]);
      String line =
          answer.status()
              + " "
              + probe[0]
              + " "
              + probe[1]
              + " ["
              + probe[2].toString().strip()
              + "] "
              + answer.body();
      results.add(line.length() > 300 ? line.substring(0, 300) : line);
    }
    assertThat(results).allMatch(r -> r.charAt(0) < '5');
  }
}
