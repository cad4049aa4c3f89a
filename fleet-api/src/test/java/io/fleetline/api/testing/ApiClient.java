package io.fleetline.api.testing;

import io.fleetline.common.FleetlineJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * A small HTTP client for tests that talk to a running service as a real client would: OAuth2
 * client credentials against fleet-api, bearer-token JSON requests against fleet-api and ingest.
 */
public final class ApiClient {

  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;

  public ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Client-credentials grant with HTTP Basic client authentication; returns the access token. */
  public String token(String clientId, String secret, String scope) throws Exception {
    Response response = tokenResponse(clientId, secret, scope);
    if (response.status() != 200) {
      throw new AssertionError(
          "token request failed: " + response.status() + " " + response.body());
    }
    return response.json().get("access_token").stringValue();
  }

  /** The token endpoint's answer; {@code scope} may be {@code null} to send none. */
  public Response tokenResponse(String clientId, String secret, String scope) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/token"))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "grant_type=client_credentials"
                        + (scope == null ? "" : "&scope=" + scope.replace(" ", "%20"))))
            .build();
    return send(request);
  }

  public Response get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  /** A GET with an explicit {@code Accept} header, e.g. {@code application/geo+json}. */
  public Response get(String path, String token, String accept) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", accept).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  /** Any method with an optional JSON body. */
  public Response request(String method, String path, String token, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  public Response patch(String path, String token, String json) throws Exception {
    return request("PATCH", path, token, json);
  }

  public Response put(String path, String token, String json) throws Exception {
    return request("PUT", path, token, json);
  }

  public Response delete(String path, String token) throws Exception {
    return request("DELETE", path, token, null);
  }

  public Response post(String path, String token, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  private Response send(HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body(),
        response.headers().firstValue("Retry-After").orElse(null));
  }

  /** Status, content type and body of an answer, and its {@code Retry-After} if any. */
  public record Response(int status, String contentType, String body, String retryAfter) {
    public JsonNode json() {
      return FleetlineJson.mapper().readTree(body);
    }
  }
}
