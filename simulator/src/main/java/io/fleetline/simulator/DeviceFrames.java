package io.fleetline.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The messages a device of the devices mode writes, one ping each, in the same wire formats as the
 * uplinks: an OsmAnd {@code GET} with the position in the query, an HTTP JSON {@code POST} of one
 * ping, MQTT 3.1.1 CONNECT and QoS 1 PUBLISH of the JSON array, and Teltonika's IMEI handshake and
 * a Codec 8E packet of one record.
 */
final class DeviceFrames {

  private DeviceFrames() {}

  /**
   * {@code GET {basePath}?id=…&lat=…} as the Traccar Client sends it, over a kept-alive connection.
   */
  static FullHttpRequest osmand(String hostHeader, String basePath, String identifier, Reading r) {
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.GET,
            basePath + "?" + OsmandUplink.query(identifier, r, null),
            Unpooled.EMPTY_BUFFER);
    request.headers().set(HttpHeaderNames.HOST, hostHeader);
    return request;
  }

  /** {@code POST {path}} of one JSON ping with the device's bearer token. */
  static FullHttpRequest json(String hostHeader, String path, String token, Reading r) {
    byte[] body = JsonPingFormat.item(r, null).getBytes(StandardCharsets.UTF_8);
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(body));
    request
        .headers()
        .set(HttpHeaderNames.HOST, hostHeader)
        .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return request;
  }

  /** MQTT 3.1.1 CONNECT with a clean session, logging in as the device. */
  static MqttConnectMessage mqttConnect(
      String clientId, String username, String password, int keepAliveS) {
    return MqttMessageBuilders.connect()
        .protocolVersion(MqttVersion.MQTT_3_1_1)
        .clientId(clientId)
        .cleanSession(true)
        .keepAlive(keepAliveS)
        .username(username)
        .password(password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  /** PUBLISH QoS 1 of the one-ping JSON array to the device's own topic. */
  static MqttPublishMessage mqttPublish(String identifier, int packetId, Reading r) {
    byte[] payload = ("[" + JsonPingFormat.item(r, null) + "]").getBytes(StandardCharsets.UTF_8);
    return MqttMessageBuilders.publish()
        .topicName(MqttUplink.topic(identifier))
        .qos(MqttQoS.AT_LEAST_ONCE)
        .retained(false)
        .messageId(packetId)
        .payload(Unpooled.wrappedBuffer(payload))
        .build();
  }

  /** The IMEI message that opens a Teltonika connection. */
  static ByteBuf teltonikaImei(String imei) {
    return Unpooled.wrappedBuffer(Codec8e.imei(imei));
  }

  /** An AVL data packet of one Codec 8E record. */
  static ByteBuf teltonikaPacket(Reading r) {
    return Unpooled.wrappedBuffer(Codec8e.packet(List.of(Codec8e.record(r, false))));
  }
}
