package io.fleetline.ingest.osmand;

import io.fleetline.common.Diagnostics;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Measurements;
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

  /**
   * @throws OsmandFormatException when the body is not such a request
   * @throws TooManyPositionsException when it holds more than {@code maxPositions} locations
   */
  static List<OsmandPing> parse(JsonNode body, Instant receivedAt, int maxPositions) {
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
    if (location.isArray() && location.isEmpty()) {
      throw new OsmandFormatException("location", "location must hold at least one position");
    }
    if (location.size() > maxPositions) {
      throw new TooManyPositionsException(maxPositions, location.size());
    }
    if (location.isObject()) {
      return List.of(new OsmandPing(deviceId, candidate(location, "location", receivedAt)));
    }
    List<OsmandPing> pings = new ArrayList<>(location.size());
    for (int i = 0; i < location.size(); i++) {
      JsonNode one = location.get(i);
      String path = "location[" + i + "]";
      if (!one.isObject()) {
        throw new OsmandFormatException(path, path + " must be a JSON object");
      }
      // Each buffered position keeps its own text for the rejected topic, not the whole upload.
      pings.add(
          new OsmandPing(
              deviceId, candidate(one, path, receivedAt), () -> FleetlineJson.write(one)));
    }
    return pings;
  }

  private static PingCandidate candidate(JsonNode location, String path, Instant receivedAt) {
    JsonNode coords = location.get("coords");
    String at = path + ".coords";
    if (coords == null || !coords.isObject()) {
      throw new OsmandFormatException(at, at + " is required");
    }
    Double speedMs = nonNegative(coords, at, "speed");
    Double odometerM = number(location, path, "odometer");
    Map<String, Object> attributes = attributes(location, path);
    return new PingCandidate(
        timestamp(location.get("timestamp"), path + ".timestamp", receivedAt),
        new Measurements(
            required(coords, at, "latitude"),
            required(coords, at, "longitude"),
            speedMs == null ? null : speedMs * 3.6,
            nonNegative(coords, at, "heading"),
            number(coords, at, "altitude"),
            nonNegative(coords, at, "accuracy"),
            odometerM == null ? null : odometerM / 1000,
            null,
            diagnostics(attributes)),
        attributes);
  }

  /** The battery and motion the app reports, also kept as attributes (as before). */
  private static Diagnostics diagnostics(Map<String, Object> attributes) {
    return new Diagnostics(
        null,
        null,
        null,
        attributes.get("batteryLevel") instanceof Long pct ? pct.doubleValue() : null,
        attributes.get("charging") instanceof Boolean charging ? charging : null,
        attributes.get("moving") instanceof Boolean moving ? moving : null,
        null,
        null,
        null);
  }

  /** A string (ISO-8601 or epoch digits) or a whole number of epoch seconds or milliseconds. */
  private static Instant timestamp(JsonNode timestamp, String field, Instant receivedAt) {
    if (timestamp == null || timestamp.isNull()) {
      return receivedAt;
    }
    if (timestamp.isString()) {
      return OsmandQueryParser.timestamp(field, timestamp.stringValue());
    }
    if (timestamp.isIntegralNumber()) {
      return OsmandQueryParser.timestamp(field, timestamp.bigIntegerValue().toString());
    }
    throw new OsmandFormatException(
        field, field + " must be an ISO-8601 string or epoch seconds or milliseconds");
  }

  private static Map<String, Object> attributes(JsonNode location, String path) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    JsonNode battery = location.get("battery");
    if (battery != null && battery.isObject()) {
      Double level = number(battery, path + ".battery", "level");
      // A fraction of a full charge; anything else is "unknown" (the apps send -1).
      if (level != null && level >= 0 && level <= 1) {
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

  private static double required(JsonNode node, String path, String field) {
    Double value = number(node, path, field);
    if (value == null) {
      throw new OsmandFormatException(path + "." + field, path + "." + field + " is required");
    }
    return value;
  }

  private static Double nonNegative(JsonNode node, String path, String field) {
    Double value = number(node, path, field);
    return value == null || value < 0 ? null : value;
  }

  private static Double number(JsonNode node, String path, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    String name = path + "." + field;
    if (!value.isNumber()) {
      throw new OsmandFormatException(name, name + " must be a number");
    }
    double number = value.doubleValue();
    if (!Double.isFinite(number)) {
      throw new OsmandFormatException(name, name + " is too large a number");
    }
    return number;
  }
}
