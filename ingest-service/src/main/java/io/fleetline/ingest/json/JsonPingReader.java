package io.fleetline.ingest.json;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.IsoTime;
import io.fleetline.ingest.validation.PingCandidate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Reads one ping of the HTTP JSON protocol (also the MQTT payload): {@code recordedAt} (ISO-8601
 * with offset), {@code latitude} and {@code longitude} required; the other fields optional and
 * typed. A field of the wrong type is an error that names the field, never a silent null.
 */
public final class JsonPingReader {

  private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {};

  private JsonPingReader() {}

  public static PingCandidate read(JsonNode item) {
    if (item == null || !item.isObject()) {
      throw new MalformedPingException("", "a ping must be a JSON object");
    }
    return new PingCandidate(
        instant(item, "recordedAt"),
        requiredNumber(item, "latitude"),
        requiredNumber(item, "longitude"),
        optionalNumber(item, "speedKmh"),
        optionalNumber(item, "headingDeg"),
        optionalNumber(item, "altitudeM"),
        optionalNumber(item, "accuracyM"),
        optionalNumber(item, "odometerKm"),
        optionalBoolean(item, "ignition"),
        attributes(item));
  }

  private static Instant instant(JsonNode item, String field) {
    JsonNode node = item.get(field);
    if (node == null || node.isNull()) {
      throw new MalformedPingException(field, field + " is required");
    }
    if (!node.isString()) {
      throw new MalformedPingException(field, field + " must be an ISO-8601 string");
    }
    try {
      return IsoTime.parse(node.stringValue());
    } catch (DateTimeParseException e) {
      throw new MalformedPingException(
          field,
          field
              + " must be ISO-8601 with an offset, e.g. 2026-11-26T08:00:00Z, was '"
              + node.stringValue()
              + "'");
    }
  }

  private static double requiredNumber(JsonNode item, String field) {
    Double value = optionalNumber(item, field);
    if (value == null) {
      throw new MalformedPingException(field, field + " is required");
    }
    return value;
  }

  private static Double optionalNumber(JsonNode item, String field) {
    JsonNode node = item.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw new MalformedPingException(field, field + " must be a number");
    }
    return node.doubleValue();
  }

  private static Boolean optionalBoolean(JsonNode item, String field) {
    JsonNode node = item.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      throw new MalformedPingException(field, field + " must be true or false");
    }
    return node.booleanValue();
  }

  private static Map<String, Object> attributes(JsonNode item) {
    JsonNode node = item.get("attributes");
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new MalformedPingException("attributes", "attributes must be a JSON object");
    }
    return FleetlineJson.mapper().convertValue(node, ATTRIBUTES);
  }
}
