package io.fleetline.api.live;

import io.fleetline.api.position.PositionJson;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.VehiclePing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Turns the records of the pings and events topics into what a fleet's live stream carries. */
final class LiveRecords {

  /** One record as the stream shows it: its fleet, the event's name and its JSON. */
  record Shown(UUID fleetId, String event, String data) {}

  private final JsonMapper json;
  private final String pingsTopic;

  LiveRecords(JsonMapper json, String pingsTopic) {
    this.json = json;
    this.pingsTopic = pingsTopic;
  }

  boolean isPing(ConsumerRecord<String, byte[]> record) {
    return record.topic().equals(pingsTopic);
  }

  /**
   * The record as shown, or {@code null} when it shows nothing or belongs to a fleet not {@code
   * wanted} (a ping of such a fleet is not even decoded).
   */
  Shown show(ConsumerRecord<String, byte[]> record, Predicate<UUID> wanted) {
    if (record.value() == null) {
      return null;
    }
    if (isPing(record)) {
      Header fleet = record.headers().lastHeader(PingHeaders.FLEET_ID);
      if (fleet != null
          && !wanted.test(UUID.fromString(new String(fleet.value(), StandardCharsets.UTF_8)))) {
        return null;
      }
      VehiclePing ping = FleetlineJson.read(record.value(), VehiclePing.class);
      return wanted.test(ping.fleetId())
          ? new Shown(ping.fleetId(), "position", PositionJson.of(json, ping))
          : null;
    }
    JsonNode event = FleetlineJson.mapper().readTree(record.value());
    UUID fleetId = fleetOf(record, event);
    if (fleetId == null || !wanted.test(fleetId) || !(event instanceof ObjectNode object)) {
      return null;
    }
    // The feed's shape: the wire record without its schema version and tenant.
    object.remove(List.of("v", "fleetId"));
    return new Shown(fleetId, "event", object.toString());
  }

  private static UUID fleetOf(ConsumerRecord<String, byte[]> record, JsonNode event) {
    Header header = record.headers().lastHeader(PingHeaders.FLEET_ID);
    if (header != null) {
      return UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
    }
    JsonNode fleet = event.path("fleetId");
    return fleet.isString() ? UUID.fromString(fleet.asString()) : null;
  }
}
