package io.fleetline.ingest.osmand;

import io.fleetline.ingest.validation.PingCandidate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSON body of the newer Traccar Client apps (9.x and later): {@code
 * {"device_id":"…","location":{"timestamp":"…","coords":{"latitude":…,"longitude":…,
 * "accuracy":…,"speed":…,"heading":…,"altitude":…},"is_moving":…,"odometer":…,
 * "battery":{"level":0.88,"is_charging":false},"activity":{"type":"still"}}}}. Unlike the query
 * form, {@code speed} is in metres per second, and negative speed or heading mean "unknown". {@code
 * location} may also be an array of such objects (a buffered upload).
 */
final class OsmandJsonParser {

  private OsmandJsonParser() {}

  static List<OsmandPing> parse(JsonNode body, Instant receivedAt) {
    if (body == null || !body.isObject()) {
      throw new OsmandFormatException("", "the body must be a JSON object");
    }
    JsonNode deviceNode = body.get("device_id");
    if (deviceNode == null || !deviceNode.isValueNode() || deviceNode.asString().isBlank()) {
      throw new OsmandFormatException("device_id", "device_id is required");
    }
    String deviceId = deviceNode.asString().strip();
    JsonNode location = body.get("location");
    if (location == null || !(location.isObject() || location.isArray())) {
      throw new OsmandFormatException("location", "location is required");
    }
    List<OsmandPing> pings = new ArrayList<>();
    for (JsonNode one : location.isArray() ? location : List.of(location)) {
      pings.add(new OsmandPing(deviceId, candidate(one, receivedAt)));
    }
    return pings;
  }

  private static PingCandidate candidate(JsonNode location, Instant receivedAt) {
    JsonNode coords = location.get("coords");
    if (coords == null || !coords.isObject()) {
      throw new OsmandFormatException("location.coords", "location.coords is required");
    }
    JsonNode timestamp = location.get("timestamp");
    Double speedMs = nonNegative(coords, "speed");
    Double odometerM = number(location, "odometer");
    return new PingCandidate(
        timestamp == null || timestamp.isNull()
            ? receivedAt
            : OsmandQueryParser.timestamp(timestamp.asString()),
        required(coords, "latitude"),
        required(coords, "longitude"),
        speedMs == null ? null : speedMs * 3.6,
        nonNegative(coords, "heading"),
        number(coords, "altitude"),
        nonNegative(coords, "accuracy"),
        odometerM == null ? null : odometerM / 1000,
        null,
        attributes(location));
  }

  private static Map<String, Object> attributes(JsonNode location) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    JsonNode battery = location.get("battery");
    if (battery != null && battery.isObject()) {
      Double level = number(battery, "level");
      if (level != null && level >= 0) {
        attributes.put("batteryLevel", Math.round(level * 100));
      }
      if (battery.get("is_charging") != null && battery.get("is_charging").isBoolean()) {
        attributes.put("charging", battery.get("is_charging").booleanValue());
      }
    }
    if (location.get("is_moving") != null && location.get("is_moving").isBoolean()) {
      attributes.put("moving", location.get("is_moving").booleanValue());
    }
    JsonNode activity = location.get("activity");
    if (activity != null && activity.get("type") != null && activity.get("type").isString()) {
      attributes.put("activity", activity.get("type").stringValue());
    }
    if (location.get("event") != null && location.get("event").isString()) {
      attributes.put("event", location.get("event").stringValue());
    }
    return attributes;
  }

  private static double required(JsonNode node, String field) {
    Double value = number(node, field);
    if (value == null) {
      throw new OsmandFormatException("location.coords." + field, field + " is required");
    }
    return value;
  }

  private static Double nonNegative(JsonNode node, String field) {
    Double value = number(node, field);
    return value == null || value < 0 ? null : value;
  }

  private static Double number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw new OsmandFormatException(field, field + " must be a number");
    }
    return value.doubleValue();
  }
}
