package io.fleetline.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Rate limits per client, client revocation, body size limits and CORS. */
class RequestLimitsTest extends FleetApiTest {

  @Test
  void aClientOverItsRateGets429WithRetryAfter() throws Exception {
    JsonNode client =
        api.post(
                "/api/v1/admin/fleets/" + fleetId + "/clients",
                adminToken,
                "{\"name\":\"slow\",\"scopes\":[\"fleet.read\"],\"requestsPerSecond\":1}")
            .json();
    String token =
        api.token(
            client.get("clientId").stringValue(),
            client.get("clientSecret").stringValue(),
            "fleet.read");

    List<ApiClient.Response> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(api.get("/api/v1/vehicles", token));
    }

    assertThat(answers.get(0).status()).isEqualTo(200);
    ApiClient.Response limited =
        answers.stream().filter(a -> a.status() == 429).findFirst().orElseThrow();
    assertThat(limited.contentType()).startsWith("application/problem+json");
    assertThat(Integer.parseInt(limited.retryAfter())).isPositive();
    assertThat(api.get("/api/v1/vehicles", readOnlyToken).status())
        .as("other clients are not limited by it")
        .isEqualTo(200);
  }

  @Test
  void aFleetAdministratorCannotGrantAClientMoreThanThePlatformMaximumRate() throws Exception {
    String path = "/api/v1/admin/fleets/" + fleetId + "/clients";

    ApiClient.Response above =
        api.post(
            path,
            fleetToken,
            "{\"name\":\"greedy\",\"scopes\":[\"fleet.read\"],\"requestsPerSecond\":1001}");
    ApiClient.Response atMaximum =
        api.post(
            path,
            fleetToken,
            "{\"name\":\"fast\",\"scopes\":[\"fleet.read\"],\"requestsPerSecond\":1000}");

    assertThat(above.status()).as(above.body()).isEqualTo(400);
    assertThat(above.contentType()).startsWith("application/problem+json");
    assertThat(above.json().get("field").stringValue()).isEqualTo("requestsPerSecond");
    assertThat(atMaximum.status()).as(atMaximum.body()).isEqualTo(201);
  }

  @Test
  void aRevokedClientGetsNoTokenAndItsTokensStopWorking() throws Exception {
    JsonNode client = createClient(fleetId, "fleet.read");
    String clientId = client.get("clientId").stringValue();
    String secret = client.get("clientSecret").stringValue();
    String token = api.token(clientId, secret, "fleet.read");
    assertThat(api.get("/api/v1/vehicles", token).status()).isEqualTo(200);

    String path = "/api/v1/admin/fleets/" + fleetId + "/clients/" + clientId;
    assertThat(api.delete(path, otherFleetToken).status()).isEqualTo(404);
    assertThat(api.delete(path, fleetToken).status()).isEqualTo(204);

    assertThat(api.get("/api/v1/vehicles", token).status()).isEqualTo(401);
    assertThat(api.tokenResponse(clientId, secret, "fleet.read").status()).isEqualTo(401);
    assertThat(api.delete(path, fleetToken).status()).as("already revoked").isEqualTo(404);
  }

  @Test
  void anOversizedBodyIs413() throws Exception {
    String huge = "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    ApiClient.Response response = api.post("/api/v1/vehicles", fleetToken, huge);
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @Test
  void aChunkedFormBodyOfAPatchLargerThanTheLimitIsRefusedWithoutBeingReadWhole() throws Exception {
    String vehicle = createVehicle(fleetToken, "Form");
    byte[] chunk = ("a=" + "x".repeat(64 * 1024 - 2)).getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PATCH /api/v1/vehicles/"
                  + vehicle
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + fleetToken
                  + "\r\nContent-Type: application/x-www-form-urlencoded"
                  + "\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      try {
        // 2 MB, twice the limit, and the body never ends: only an answer that does not wait for
        // the whole body arrives.
        for (int i = 0; i < 32; i++) {
          out.write(
              (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      } catch (IOException closedByTheServer) {
        // it answered and closed before taking all of it
      }
      String answer =
          new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);

      assertThat(answer).matches("HTTP/1\\.1 41[35]");
    }
  }

  @Test
  void configuredOriginsMayCallFromABrowserAndOthersMayNot() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> allowed = preflight(http, "https://map.fleetline.test");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://map.fleetline.test");
    assertThat(preflight(http, "https://evil.test").statusCode()).isEqualTo(403);
  }

  private HttpResponse<String> preflight(HttpClient http, String origin) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/vehicles"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
