package io.fleetline.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A Teltonika tracker on its own TCP connection: the IMEI handshake (answered {@code 01} when
 * registered), then one Codec 8E packet of one record per ping, the next only after the 4-byte
 * record count acknowledged the last.
 */
final class TeltonikaDeviceLink extends DeviceLink {

  private final String imei;

  TeltonikaDeviceLink(
      Run run, EventLoop loop, InetSocketAddress address, SimVehicle vehicle, long phaseNanos) {
    super(run, loop, address, List.of(vehicle), phaseNanos);
    this.imei = vehicle.device().identifier();
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  @Override
  void addCodecs(ChannelPipeline pipeline) {
    pipeline.addLast(new Answers());
  }

  @Override
  void login(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(DeviceFrames.teltonikaImei(imei), ctx.voidPromise());
  }

  @Override
  void writePing(Channel channel, Device device, Reading reading) {
    channel.writeAndFlush(DeviceFrames.teltonikaPacket(reading), channel.voidPromise());
  }

  @Override
  void answer(ChannelHandlerContext ctx, Object message) {
    Answer answer = (Answer) message;
    if (answer.handshake()) {
      if (answer.value() == 1) {
        ready();
      } else {
        refused(ctx, "teltonika_handshake_refused");
      }
    } else if (answer.value() == 1) {
      acknowledged();
    } else {
      failed("teltonika_ack_" + answer.value());
    }
  }

  /** One answer of the listener: the handshake's byte, or a packet's record count. */
  record Answer(boolean handshake, long value) {}

  /**
   * Splits the listener's bytes into answers: first the 1-byte handshake answer, then 4-byte
   * big-endian record counts.
   */
  static final class Answers extends ByteToMessageDecoder {
    private boolean handshaken;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (!handshaken) {
        if (in.readableBytes() >= 1) {
          handshaken = true;
          out.add(new Answer(true, in.readUnsignedByte()));
        }
        return;
      }
      while (in.readableBytes() >= 4) {
        out.add(new Answer(false, in.readUnsignedInt()));
      }
    }
  }
}
