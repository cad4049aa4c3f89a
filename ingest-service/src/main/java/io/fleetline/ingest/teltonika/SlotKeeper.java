package io.fleetline.ingest.teltonika;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.util.UUID;

/**
 * One connection's hold on the listener's slots: its address's handshake slot until the device is
 * identified, then its device's slot until it closes. Runs on the connection's event loop.
 */
final class SlotKeeper extends ChannelInboundHandlerAdapter {

  private final ConnectionSlots slots;
  private final InetAddress source;
  private final TeltonikaMetrics metrics;
  private boolean handshaking = true;
  private UUID deviceId;

  SlotKeeper(ConnectionSlots slots, InetAddress source, TeltonikaMetrics metrics) {
    this.slots = slots;
    this.source = source;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.channel().closeFuture().addListener(f -> release(ctx.channel()));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof DeviceIdentified identified && handshaking) {
      handshaking = false;
      slots.endHandshake(source);
      deviceId = identified.device().deviceId();
      for (Channel older : slots.identified(deviceId, ctx.channel())) {
        metrics.connectionReplaced();
        older.close();
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  private void release(Channel channel) {
    if (handshaking) {
      handshaking = false;
      slots.endHandshake(source);
    }
    if (deviceId != null) {
      slots.closed(deviceId, channel);
    }
  }
}
