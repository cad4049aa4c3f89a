package io.fleetline.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.FleetApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The console's files and configuration are public, carry a Content-Security-Policy that admits
 * only this server's scripts and the tile server's images, and cannot be written to.
 */
class ConsoleSecurityTest extends FleetApiTest {

  final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void consoleFilesAndWebjarsNeedNoToken() throws Exception {
    for (String path : new String[] {"/console/", "/console/app.js", "/webjars/x/1/x.js"}) {
      assertThat(send("GET", path).statusCode()).as(path).isNotIn(401, 403);
    }
  }

  @Test
  void consolePagesAdmitOnlyOwnScriptsAndTileImagesAndNoFraming() throws Exception {
    HttpResponse<String> page = send("GET", "/console/");
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp)
        .contains("script-src 'self';")
        .contains("style-src 'self';")
        .contains("img-src 'self' data: https://tile.openstreetmap.org;")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
  }

  @Test
  void writingToConsolePathsIsRefused() throws Exception {
    assertThat(send("POST", "/console/app.js").statusCode()).isEqualTo(403);
    assertThat(send("DELETE", "/webjars/x/1/x.js").statusCode()).isEqualTo(403);
  }

  @Test
  void consoleConfigIsPublicAndNamesTheEmbeddedServerAndTiles() throws Exception {
    HttpResponse<String> answer = send("GET", "/console/config.json");
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode config = api.get("/console/config.json", null).json();
    assertThat(config.get("clientId").stringValue()).isEqualTo("fleetline-console");
    assertThat(config.get("authorizationEndpoint").stringValue())
        .isEqualTo("http://fleetline.test/oauth2/authorize");
    assertThat(config.get("tokenEndpoint").stringValue())
        .isEqualTo("http://fleetline.test/oauth2/token");
    assertThat(config.get("revocationEndpoint").stringValue())
        .isEqualTo("http://fleetline.test/oauth2/revoke");
    assertThat(config.get("logoutEndpoint").stringValue())
        .isEqualTo("http://fleetline.test/console/logout");
    assertThat(config.get("redirectUri").stringValue()).isEqualTo("http://fleetline.test/console/");
    assertThat(config.get("apiBase").stringValue()).isEqualTo("http://fleetline.test");
    assertThat(config.get("scopes").stringValue()).isEqualTo("fleet.read fleet.write fleet.admin");
    assertThat(config.get("tiles").get("url").stringValue())
        .isEqualTo("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
    assertThat(config.get("tiles").get("attribution").stringValue())
        .isEqualTo("© OpenStreetMap contributors");
    assertThat(config.get("tiles").get("maxZoom").intValue()).isEqualTo(19);
    assertThat(config.get("positionsRefreshMs").longValue()).isEqualTo(30_000);
  }
}
