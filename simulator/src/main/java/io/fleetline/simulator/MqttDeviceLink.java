package io.fleetline.simulator;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * An MQTT 3.1.1 device: CONNECT as itself (username = identifier, password = the token of its
 * registration), then one QoS 1 PUBLISH per ping, the next only after the PUBACK of the last.
 */
final class MqttDeviceLink extends DeviceLink {

  private final String clientId;
  private final Device device;
  private final int keepAliveS;
  private int packetId;

  MqttDeviceLink(
      Run run,
      EventLoop loop,
      InetSocketAddress address,
      SimVehicle vehicle,
      long phaseNanos,
      String runId) {
    super(run, loop, address, List.of(vehicle), phaseNanos);
    this.device = vehicle.device();
    this.clientId = "fleetline-sim-" + runId + "-" + device.identifier();
    // The broker drops a client silent for 1.5 keep-alives; pings come at least every interval.
    this.keepAliveS =
        (int) Math.min(65_535, Math.max(60, 3 * run.intervalNanos() / 1_000_000_000L));
  }

  /** The broker's address from {@code tcp://host:port}. */
  static InetSocketAddress address(String mqttUrl) {
    URI url = URI.create(mqttUrl);
    if (!"tcp".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "the devices mode connects to tcp://host:port, not " + mqttUrl);
    }
    return new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 1883 : url.getPort());
  }

  @Override
  void addCodecs(ChannelPipeline pipeline) {
    pipeline.addLast(MqttEncoder.INSTANCE);
    pipeline.addLast(new MqttDecoder(MAX_ANSWER_BYTES));
  }

  @Override
  void login(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(
        DeviceFrames.mqttConnect(clientId, device.identifier(), device.token(), keepAliveS),
        ctx.voidPromise());
  }

  @Override
  void writePing(Channel channel, Device device, Reading reading) {
    packetId = packetId % 65_535 + 1;
    channel.writeAndFlush(
        DeviceFrames.mqttPublish(device.identifier(), packetId, reading), channel.voidPromise());
  }

  @Override
  void answer(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof MqttMessage mqtt) || mqtt.decoderResult().isFailure()) {
      abandon(ctx, "malformed_answer");
      return;
    }
    MqttMessageType type = mqtt.fixedHeader().messageType();
    if (type == MqttMessageType.CONNACK) {
      MqttConnectReturnCode code = ((MqttConnAckMessage) mqtt).variableHeader().connectReturnCode();
      if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
        ready();
      } else {
        refused(ctx, "mqtt_" + code.name().toLowerCase(java.util.Locale.ROOT));
      }
    } else if (type == MqttMessageType.PUBACK
        && ((MqttMessageIdVariableHeader) mqtt.variableHeader()).messageId() == packetId) {
      acknowledged();
    }
  }
}
