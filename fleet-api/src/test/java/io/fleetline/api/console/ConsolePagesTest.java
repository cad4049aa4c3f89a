package io.fleetline.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.FleetApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The console's page, scripts and map library come from fleet-api itself, under the page's
 * Content-Security-Policy: nothing is loaded from elsewhere and nothing runs inline.
 */
class ConsolePagesTest extends FleetApiTest {

  final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void consoleAddressServesThePageThatLoadsItsOwnModules() throws Exception {
    HttpResponse<String> page = get("/console/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body())
        .contains("<script type=\"module\" src=\"js/main.js\"></script>")
        .contains("../webjars/leaflet/dist/leaflet.js")
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
        .doesNotContain("style=\"")
        .doesNotContain("http://")
        .doesNotContain("https://");
  }

  @Test
  void consoleWithoutTrailingSlashRedirectsToThePage() throws Exception {
    HttpResponse<String> answer = get("/console");
    assertThat(answer.statusCode()).isEqualTo(302);
    assertThat(answer.headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/console/"));
  }

  @Test
  void everyModuleThePageImportsIsServed() throws Exception {
    for (String path :
        new String[] {
          "/console/js/main.js",
          "/console/js/auth.js",
          "/console/js/api.js",
          "/console/js/live.js",
          "/console/js/fleet.js",
          "/console/js/map.js",
          "/console/js/dom.js",
          "/console/js/pages/live-map.js",
          "/console/js/pages/vehicles.js",
          "/console/js/pages/vehicle.js",
          "/console/js/pages/events.js",
          "/console/js/pages/geofences.js",
          "/console/console.css"
        }) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void leafletIsServedFromTheWebJarWithoutItsVersionInThePath() throws Exception {
    HttpResponse<String> script = get("/webjars/leaflet/dist/leaflet.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("Leaflet");
    assertThat(get("/webjars/leaflet/dist/leaflet.css").statusCode()).isEqualTo(200);
  }

  @Test
  void consoleScriptsNeverWriteMarkupFromStrings() throws Exception {
    // Names and other values from users reach the DOM only as text: no innerHTML and the like.
    for (String path :
        new String[] {
          "/console/js/main.js",
          "/console/js/dom.js",
          "/console/js/map.js",
          "/console/js/pages/live-map.js",
          "/console/js/pages/vehicles.js",
          "/console/js/pages/vehicle.js",
          "/console/js/pages/events.js",
          "/console/js/pages/geofences.js"
        }) {
      assertThat(get(path).body())
          .as(path)
          .doesNotContain("innerHTML")
          .doesNotContain("outerHTML")
          .doesNotContain("insertAdjacentHTML")
          .doesNotContain("document.write");
    }
  }
}
