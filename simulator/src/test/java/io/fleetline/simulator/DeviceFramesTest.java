package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The devices mode's messages, byte for byte as they leave the codecs. */
class DeviceFramesTest {

  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  static final Reading READING =
      new Reading(
          Instant.parse("2026-11-26T08:00:00.250Z"),
          52.5212345678,
          13.4054321,
          37.04,
          181.26,
          34.44,
          4.97,
          12345.6789,
          true,
          false);

  private static byte[] written(EmbeddedChannel channel, Object message) {
    channel.writeOutbound(message);
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
      all.writeBytes(part);
      part.release();
    }
    return ByteBufUtil.getBytes(all);
  }

  @Test
  void anOsmandPingIsOneKeptAliveGetWithThePositionInTheQuery() {
    byte[] bytes =
        written(
            new EmbeddedChannel(new HttpClientCodec()),
            DeviceFrames.osmand("127.0.0.1:5055", "/", "sim-r1-1", READING));

    assertThat(new String(bytes, StandardCharsets.US_ASCII))
        .isEqualTo(
            "GET /?"
                + OsmandUplink.query("sim-r1-1", READING, null)
                + " HTTP/1.1\r\n"
                + "host: 127.0.0.1:5055\r\n\r\n")
        .startsWith(
            "GET /?id=sim-r1-1&lat=52.5212346&lon=13.4054321&timestamp=1795680000250"
                + "&speed=20.0000&bearing=181.3&altitude=34.4&accuracy=5.0&");
  }

  @Test
  void anHttpJsonPingIsOnePostOfOnePingWithTheDevicesToken() {
    byte[] bytes =
        written(
            new EmbeddedChannel(new HttpClientCodec()),
            DeviceFrames.json("ingest:8081", "/api/v1/pings", "tok", READING));

    String body = JsonPingFormat.item(READING, null);
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo(
            "POST /api/v1/pings HTTP/1.1\r\n"
                + "host: ingest:8081\r\n"
                + "authorization: Bearer tok\r\n"
                + "content-type: application/json\r\n"
                + "content-length: "
                + body.length()
                + "\r\n\r\n"
                + body);
  }

  @Test
  void anMqttDeviceConnectsAsItselfWithACleanSession() {
    byte[] bytes =
        written(
            new EmbeddedChannel(MqttEncoder.INSTANCE),
            DeviceFrames.mqttConnect("c1", "sim-1", "pw", 60));

    assertThat(HEX.formatHex(bytes))
        .isEqualTo(
            "10" // CONNECT
                + "19" // remaining length: 10 + 4 + 7 + 4
                + "00044D515454" // protocol name "MQTT"
                + "04" // level 4: MQTT 3.1.1
                + "C2" // flags: username, password, clean session
                + "003C" // keep-alive 60 s
                + "00026331" // client id "c1"
                + "000573696D2D31" // username "sim-1"
                + "00027077"); // password "pw"
  }

  @Test
  void anMqttPingIsAQos1PublishOfTheJsonArrayToTheDevicesTopic() {
    byte[] bytes =
        written(
            new EmbeddedChannel(MqttEncoder.INSTANCE),
            DeviceFrames.mqttPublish("sim-1", 7, READING));

    String topic = "fleetline/devices/sim-1/pings";
    byte[] payload =
        ("[" + JsonPingFormat.item(READING, null) + "]").getBytes(StandardCharsets.UTF_8);
    int remaining = 2 + topic.length() + 2 + payload.length;
    assertThat(remaining).isBetween(128, 16_383); // two bytes of remaining length
    assertThat(HEX.formatHex(bytes))
        .isEqualTo(
            "32" // PUBLISH, QoS 1, not retained
                + HEX.toHexDigits((byte) (remaining & 0x7F | 0x80))
                + HEX.toHexDigits((byte) (remaining >> 7))
                + HEX.toHexDigits((short) topic.length())
                + HEX.formatHex(topic.getBytes(StandardCharsets.US_ASCII))
                + "0007" // packet id
                + HEX.formatHex(payload));
  }

  @Test
  void aTeltonikaDeviceSendsItsImeiThenOneRecordPerPacket() {
    assertThat(HEX.formatHex(ByteBufUtil.getBytes(DeviceFrames.teltonikaImei("356307042441013"))))
        .isEqualTo("000F333536333037303432343431303133");

    byte[] packet = ByteBufUtil.getBytes(DeviceFrames.teltonikaPacket(READING));
    assertThat(packet).isEqualTo(Codec8e.packet(List.of(Codec8e.record(READING, false))));
    int dataLength = packet.length - 12;
    assertThat(packet[8] & 0xFF).isEqualTo(Codec8e.CODEC_ID);
    assertThat(packet[9]).isEqualTo((byte) 1); // number of data 1
    assertThat(packet[8 + dataLength - 1]).isEqualTo((byte) 1); // number of data 2
  }
}
