package io.fleetline.ingest.teltonika;

import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation with one device: answers the IMEI handshake, hands each AVL packet to intake on
 * the event loop with reading paused, and acknowledges only once intake has made it durable.
 *
 * <p>Handshake answer: 1 byte, {@code 0x01} accepted or {@code 0x00} refused (then closed). Packet
 * acknowledgement: 4 bytes, big-endian, the number of records handled — accepted ones are in the
 * pings topic, rejected ones in the rejected topic with their reason, so both are durable and
 * neither should be sent again. When Kafka cannot make them durable nothing is acknowledged and the
 * connection is closed, so the device resends. One packet per connection is in flight; its state is
 * touched only on the connection's event loop.
 */
final class TeltonikaSessionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(TeltonikaSessionHandler.class);
  static final String PROTOCOL = "teltonika";

  // Devices wait for each acknowledgement before sending on, so a longer queue means a flood.
  static final int MAX_QUEUED_PACKETS = 8;

  private final ImeiCheck imeiCheck;
  private final PacketIntake intake;
  private final AtomicInteger packetsInFlight;
  private final TeltonikaMetrics metrics;
  // AvlPacket or UndecodableAvlPacket, in arrival order
  private final Deque<Object> queued = new ArrayDeque<>();
  private DeviceRegistration device;
  private boolean inFlight;

  /**
   * @param packetsInFlight packets of all connections handed to intake and not yet answered, which
   *     a stopping listener waits for
   */
  TeltonikaSessionHandler(
      ImeiCheck imeiCheck,
      PacketIntake intake,
      AtomicInteger packetsInFlight,
      TeltonikaMetrics metrics) {
    this.imeiCheck = imeiCheck;
    this.intake = intake;
    this.packetsInFlight = packetsInFlight;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ImeiMessage imei) {
      handshake(ctx, imei.imei());
    } else if (msg instanceof AvlPacket || msg instanceof UndecodableAvlPacket) {
      receive(ctx, msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void handshake(ChannelHandlerContext ctx, String imei) {
    ImeiCheck.Result result = imeiCheck.check(imei);
    metrics.handshake(result.outcome());
    if (result.device() != null) {
      device = result.device();
      ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x01}));
      ctx.fireUserEventTriggered(new DeviceIdentified(device));
    } else {
      log.debug("Refusing Teltonika IMEI {}: {}", imei, result.outcome());
      ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x00}))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Whether the device has identified itself with an accepted IMEI; read on the event loop. */
  boolean identified() {
    return device != null;
  }

  private void receive(ChannelHandlerContext ctx, Object packet) {
    if (device == null || queued.size() >= MAX_QUEUED_PACKETS) {
      // Data before an accepted handshake, or a flood: neither comes from a well-behaved device.
      metrics.unacknowledged(device == null ? "no_handshake" : "flooding");
      ctx.close();
      return;
    }
    ctx.channel().config().setAutoRead(false);
    queued.add(packet);
    submitNext(ctx);
  }

  private void submitNext(ChannelHandlerContext ctx) {
    if (inFlight) {
      return;
    }
    Object packet = queued.poll();
    if (packet == null) {
      ctx.channel().config().setAutoRead(true);
      return;
    }
    inFlight = true;
    packetsInFlight.incrementAndGet();
    CompletableFuture<Integer> durable;
    try {
      durable = store(device, packet);
    } catch (RuntimeException | StackOverflowError e) {
      // Answered as a failure like any other, so that the packet stops counting as in flight.
      durable = CompletableFuture.failedFuture(e);
    }
    // Kafka's acknowledgement arrives on the producer's thread; the device's is written here.
    durable.whenCompleteAsync(
        (handled, failure) -> completed(ctx, handled, failure), ctx.executor());
  }

  /**
   * Turns the packet into items and hands them to intake, here on the event loop (handing over
   * never blocks); the future tells how many records were handled once all are durable.
   */
  private CompletableFuture<Integer> store(DeviceRegistration sender, Object message) {
    if (message instanceof UndecodableAvlPacket undecodable) {
      return intake
          .accept(
              sender,
              List.of(
                  DecodedPing.malformed(
                      0,
                      undecodable.frame(),
                      "the Codec 8/8E packet does not follow the layout: " + undecodable.detail())))
          .thenApply(result -> undecodable.declaredRecords());
    }
    List<AvlRecord> records = ((AvlPacket) message).records();
    List<DecodedPing> items = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      AvlRecord record = records.get(i);
      items.add(DecodedPing.of(i, record.original(), AvlPingMapper.toCandidate(record)));
    }
    return intake
        .accept(sender, items)
        .thenApply(result -> result.accepted() + result.rejected().size());
  }

  private void completed(ChannelHandlerContext ctx, Integer handled, Throwable failure) {
    try {
      answer(ctx, handled, failure);
    } finally {
      // After the acknowledgement is written: a stopping listener closes connections only then.
      packetsInFlight.decrementAndGet();
    }
  }

  private void answer(ChannelHandlerContext ctx, Integer handled, Throwable failure) {
    inFlight = false;
    if (!ctx.channel().isActive()) {
      // Durable but unacknowledged: the device resends, and storage is idempotent on the key.
      queued.clear();
      return;
    }
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      if (cause instanceof PingsNotDurableException) {
        metrics.unacknowledged("not_durable");
        log.debug(
            "Teltonika packet not durable, closing so the device resends: {}", cause.getMessage());
      } else {
        metrics.unacknowledged("failed");
        log.warn("Teltonika packet could not be taken in, closing the connection", cause);
      }
      queued.clear();
      ctx.close();
      return;
    }
    // Acknowledgement: number of records, 4 bytes, big-endian.
    ctx.writeAndFlush(Unpooled.buffer(4).writeInt(handled));
    metrics.acknowledged(handled);
    submitNext(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      metrics.idleClosed();
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    queued.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug(
          "Teltonika connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("Teltonika connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
