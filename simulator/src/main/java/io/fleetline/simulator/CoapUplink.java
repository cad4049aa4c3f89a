package io.fleetline.simulator;

import io.fleetline.common.FleetlineJson;
import io.fleetline.simulator.truth.Answers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;
import tools.jackson.databind.JsonNode;

/**
 * CoAP: {@code POST /pings?token=<device token>}, confirmable, a batch as one JSON array (the pings
 * of an http device). Items come back accepted (2.04) or listed under {@code rejected} with their
 * reason, as over HTTP.
 */
final class CoapUplink implements Uplink {

  /** Keeps an upload well under ingest's 64 KiB CoAP body limit. */
  private static final int MAX_BATCH = 100;

  private final String base;
  private final Retry retry;
  private final CoapEndpoint endpoint;

  CoapUplink(String coapUrl, Retry retry) {
    this.base = coapUrl.endsWith("/") ? coapUrl.substring(0, coapUrl.length() - 1) : coapUrl;
    this.retry = retry;
    // Built explicitly: Californium's default endpoint would write a properties file into the
    // working directory.
    this.endpoint =
        new CoapEndpoint.Builder()
            .setConfiguration(
                new Configuration(
                    SystemConfig.DEFINITIONS, CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS))
            .build();
  }

  @Override
  public int maxBatch() {
    return MAX_BATCH;
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
        CoapResponse answer =
            retry.run(
                () ->
                    post(
                        InvalidKind.unknownIdentifier(Protocol.COAP, device.identifier()), single));
        outcomes[i] =
            answer == null
                ? Outcome.failed()
                : new Outcome(
                    answer.getCode() == ResponseCode.UNAUTHORIZED, Answers.UNAUTHORIZED, null);
        continue;
      }
      body.append(batch.isEmpty() ? "" : ",")
          .append(JsonPingFormat.item(item.reading(), item.invalid()));
      batch.add(i);
    }
    if (!batch.isEmpty()) {
      String json = body.append(']').toString();
      CoapResponse response = retry.run(() -> upload(device, json));
      boolean stored = response != null && response.getCode() == ResponseCode.CHANGED;
      for (int k = 0; k < batch.size(); k++) {
        outcomes[batch.get(k)] =
            stored
                ? Outcome.accepted()
                : new Outcome(
                    false, response == null ? "failed" : "coap_" + response.getCode(), null);
      }
      String text = response == null ? "" : response.getResponseText();
      if (text != null && text.contains("\"rejected\":[")) {
        JsonNode answer = FleetlineJson.mapper().readTree(text);
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
  private CoapResponse upload(Device device, String json)
      throws IOException, Retry.TransientException {
    CoapResponse response = post(device.token(), json);
    if (response == null) {
      throw new Retry.TransientException("no CoAP answer");
    }
    ResponseCode code = response.getCode();
    // 4.01 right after registration (ingest has not seen the device yet), 5.03 (Kafka), 5.xx
    if (code == ResponseCode.UNAUTHORIZED || code.isServerError()) {
      throw new Retry.TransientException("CoAP " + code + ": " + response.getResponseText());
    }
    return response;
  }

  /** The answer, or null when none came in time; a refused send is an {@link IOException}. */
  private CoapResponse post(String token, String json) throws IOException {
    CoapClient client = new CoapClient(base + "/pings?token=" + token);
    client.setEndpoint(endpoint);
    client.setTimeout(30_000L);
    try {
      return client.post(json, MediaTypeRegistry.APPLICATION_JSON);
    } catch (ConnectorException e) {
      throw new IOException(e);
    } finally {
      client.shutdown();
    }
  }

  @Override
  public void close() {
    endpoint.destroy();
  }
}
