package io.fleetline.ingest.gateway;

import io.fleetline.common.FleetlineJson;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads the {@code "device"} field of one item of a gateway's upload: the identifier of the device
 * whose ping it is. The item has already been read once as a ping, so its size is bounded.
 */
final class RelayedDevice {

  private RelayedDevice() {}

  /** The top-level {@code "device"} text of a JSON object, or null when it has none. */
  static String named(byte[] item) {
    try (JsonParser in = FleetlineJson.mapper().createParser(item)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String device = null;
      String name;
      while ((name = in.nextName()) != null) {
        JsonToken value = in.nextToken();
        if (name.equals("device")) {
          // A repeated key counts once, the last one, as for the ping's own fields.
          device = value == JsonToken.VALUE_STRING ? in.getString() : null;
        }
        in.skipChildren();
      }
      return device;
    } catch (JacksonException e) {
      return null;
    }
  }
}
