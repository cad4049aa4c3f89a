package io.fleetline.simulator;

import io.fleetline.common.FleetlineJson;
import io.fleetline.simulator.truth.Answers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * HTTP JSON: {@code POST /api/v1/pings} with the device's bearer token, a batch as one array. Items
 * come back accepted or listed under {@code rejected} with their reason.
 */
final class HttpUplink implements Uplink {

  private final HttpClient http;
  private final URI endpoint;
  private final Retry retry;

  HttpUplink(HttpClient http, String ingestUrl, Retry retry) {
    this.http = http;
    this.endpoint = URI.create(ingestUrl + "/api/v1/pings");
    this.retry = retry;
  }

  @Override
  public int maxBatch() {
    return 1000;
  }

  @Override
  public Reading carried(Reading reading) {
    return JsonPingFormat.carried(reading);
  }

  @Override
  public List<Outcome> send(Device device, List<Outgoing> items) throws InterruptedException {
    Outcome[] outcomes = new Outcome[items.size()];
    List<Integer> batch = new ArrayList<>();
    StringBuilder body = new StringBuilder(items.size() * 220).append('[');
    for (int i = 0; i < items.size(); i++) {
      Outgoing item = items.get(i);
      if (item.invalid() == InvalidKind.UNKNOWN_DEVICE) {
        String single = JsonPingFormat.item(item.reading(), null);
        Integer status =
            retry.run(
                () ->
                    post(InvalidKind.unknownIdentifier(Protocol.HTTP, device.identifier()), single)
                        .statusCode());
        outcomes[i] =
            status == null
                ? Outcome.failed()
                : new Outcome(status == 401, Answers.UNAUTHORIZED, null);
        continue;
      }
      body.append(batch.isEmpty() ? "" : ",")
          .append(JsonPingFormat.item(item.reading(), item.invalid()));
      batch.add(i);
    }
    if (!batch.isEmpty()) {
      String json = body.append(']').toString();
      HttpResponse<String> response = retry.run(() -> upload(device, json));
      JsonNode answer =
          response == null || !response.body().contains("\"rejected\"")
              ? null
              : FleetlineJson.mapper().readTree(response.body());
      for (int k = 0; k < batch.size(); k++) {
        outcomes[batch.get(k)] =
            response != null && response.statusCode() == 202
                ? Outcome.accepted()
                : new Outcome(
                    false, response == null ? "failed" : "http_" + response.statusCode(), null);
      }
      if (answer != null) {
        for (JsonNode rejected : answer.path("rejected")) {
          int k = rejected.path("index").asInt(-1);
          if (k >= 0 && k < batch.size()) {
            outcomes[batch.get(k)] =
                new Outcome(true, Answers.ITEM_REJECTED, rejected.path("reason").asString(null));
          }
        }
      }
    }
    return Arrays.asList(outcomes);
  }

  /** The final answer: anything but what a resend could change. */
  private HttpResponse<String> upload(Device device, String json)
      throws IOException, InterruptedException, Retry.TransientException {
    HttpResponse<String> response = post(device.token(), json);
    int status = response.statusCode();
    // 401 right after registration (ingest has not seen the device yet), 429, 503 (Kafka), 5xx
    if (status == 401 || status == 429 || status >= 500) {
      throw new Retry.TransientException("HTTP " + status + ": " + response.body());
    }
    return response;
  }

  private HttpResponse<String> post(String token, String json)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(endpoint)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
