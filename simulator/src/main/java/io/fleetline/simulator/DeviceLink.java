package io.fleetline.simulator;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection of the devices mode, with exactly one ping in flight: either one device pinging
 * every interval on its own grid of ticks (a tick that finds the last ping unacknowledged is late,
 * and the ping goes out once the acknowledgement arrives), or, in the closed loop, several devices
 * in turn, the next ping sent as soon as the last is answered. A lost connection is opened again
 * with back-off. Everything of a link runs on its one event loop, so its state needs no locking.
 */
@ChannelHandler
    .Sharable // one channel at a time: a reconnect adds it to the next channel's pipeline
abstract class DeviceLink extends ChannelInboundHandlerAdapter {

  /** How long a ping or a login may wait for its answer before the connection is given up. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  /** Largest answer a device accepts from the platform (an HTTP response, an MQTT packet). */
  static final int MAX_ANSWER_BYTES = 64 * 1024;

  private static final long FIRST_BACKOFF_MS = 200;
  private static final AtomicInteger LINKS = new AtomicInteger();
  private static final long LAST_BACKOFF_MS = 5_000;

  /** What the links of one run share. */
  record Run(
      DevicesTally tally,
      Bootstrap bootstrap,
      long intervalNanos,
      long originNanos,
      AtomicBoolean stopping) {

    boolean closedLoop() {
      return intervalNanos == 0;
    }
  }

  private final Run run;
  private final EventLoop loop;
  private final SocketAddress address;
  private final SocketAddress source;
  private final List<SimVehicle> vehicles;
  private final long phaseNanos;
  private final long[] lastRecordedMs;
  private final BitSet acknowledgedOnce;

  private Channel channel;
  private boolean ready;
  private boolean everReady;
  private int turn;
  private int inFlight = -1;
  private long sentNanos;
  private boolean pending;
  private long nextTickNanos;
  private long backoffMs = FIRST_BACKOFF_MS;
  private String closeReason;

  DeviceLink(
      Run run, EventLoop loop, SocketAddress address, List<SimVehicle> vehicles, long phaseNanos) {
    this.run = run;
    this.loop = loop;
    this.address = address;
    this.source = sourceFor(address, LINKS.getAndIncrement());
    this.vehicles = vehicles;
    this.phaseNanos = phaseNanos;
    this.lastRecordedMs = new long[vehicles.size()];
    this.acknowledgedOnce = new BitSet(vehicles.size());
  }

  /** The codecs between the socket and this link. */
  abstract void addCodecs(ChannelPipeline pipeline);

  /** Starts the protocol's login on a new connection; calls {@link #ready} once it is accepted. */
  abstract void login(ChannelHandlerContext ctx);

  /** Writes one ping of {@code device}; the subclass answers with acknowledged() or failed(). */
  abstract void writePing(Channel channel, Device device, Reading reading);

  /** Handles one decoded answer from the platform; the caller releases it. */
  abstract void answer(ChannelHandlerContext ctx, Object message);

  final void start() {
    loop.execute(this::connect);
  }

  final void stop() {
    loop.execute(
        () -> {
          if (channel != null) {
            channel.close();
          }
        });
  }

  final Protocol protocol() {
    return vehicles.get(0).device().protocol();
  }

  /**
   * Where a link connects from. A real fleet's devices come from many addresses, and ingest limits
   * what one address may have in progress; on the loopback interface each link therefore takes its
   * own address in 127.1.0.0/16 (Linux answers for all of 127/8), so those limits see what they
   * would see in the field. Elsewhere the system chooses.
   */
  static SocketAddress sourceFor(SocketAddress target, int link) {
    if (target instanceof InetSocketAddress inet
        && inet.getAddress() instanceof Inet4Address v4
        && v4.isLoopbackAddress()) {
      int n = link % (250 * 250);
      byte[] bytes = {127, 1, (byte) (n / 250), (byte) (n % 250 + 1)};
      try {
        return new InetSocketAddress(InetAddress.getByAddress(bytes), 0);
      } catch (UnknownHostException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    return null;
  }

  private void connect() {
    if (run.stopping().get()) {
      return;
    }
    run.bootstrap()
        .clone(loop)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                addCodecs(ch.pipeline());
                ch.pipeline().addLast(DeviceLink.this);
              }
            })
        .connect(address, source)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    run.tally().connectFailed(connectFailure(f.cause()));
                    reconnectLater();
                  }
                });
  }

  @Override
  public final void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    closeReason = null;
    Channel mine = channel;
    loop.schedule(
        () -> {
          if (mine == channel && !ready) {
            run.tally().connectFailed("login_timeout");
            mine.close();
          }
        },
        ANSWER_TIMEOUT.toMillis(),
        TimeUnit.MILLISECONDS);
    login(ctx);
  }

  @Override
  public final void channelRead(ChannelHandlerContext ctx, Object message) {
    try {
      answer(ctx, message);
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  @Override
  public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeReason = closeReason != null ? closeReason : "connection_error";
    ctx.close();
  }

  @Override
  public final void channelInactive(ChannelHandlerContext ctx) {
    if (ctx.channel() != channel) {
      return;
    }
    channel = null;
    ready = false;
    if (inFlight >= 0) {
      run.tally().failed(closeReason != null ? closeReason : "connection_closed");
      inFlight = -1;
      pending = true;
    }
    reconnectLater();
  }

  /** The login was accepted: pings may flow. */
  final void ready() {
    ready = true;
    backoffMs = FIRST_BACKOFF_MS;
    if (!everReady) {
      everReady = true;
      run.tally().connectedFirstTime();
      if (run.closedLoop()) {
        loop.scheduleAtFixedRate(this::checkAnswerTimeout, 1, 1, TimeUnit.SECONDS);
      } else {
        nextTickNanos =
            DeviceSchedule.nextTickNanos(
                run.originNanos(), phaseNanos, run.intervalNanos(), System.nanoTime());
        scheduleTick();
      }
    }
    if (run.closedLoop() || pending) {
      sendNext();
    }
  }

  /** The login was refused: close and try again later (the device may not be known yet). */
  final void refused(ChannelHandlerContext ctx, String reason) {
    run.tally().connectFailed(reason);
    ctx.close();
  }

  /** The platform acknowledged the ping in flight as stored. */
  final void acknowledged() {
    if (inFlight < 0) {
      return;
    }
    run.tally().acknowledged(protocol(), System.nanoTime() - sentNanos);
    if (!acknowledgedOnce.get(inFlight)) {
      acknowledgedOnce.set(inFlight);
      run.tally().acknowledgedFirstTime();
    }
    answered();
  }

  /** The platform answered the ping in flight with anything but "stored". */
  final void failed(String reason) {
    if (inFlight < 0) {
      return;
    }
    run.tally().failed(reason);
    answered();
  }

  /** Closes the connection, to be opened again, after a protocol error. */
  final void abandon(ChannelHandlerContext ctx, String reason) {
    closeReason = reason;
    ctx.close();
  }

  private void answered() {
    inFlight = -1;
    if (run.closedLoop() || pending) {
      sendNext();
    }
  }

  private void sendNext() {
    if (!ready || inFlight >= 0 || run.stopping().get()) {
      return;
    }
    pending = false;
    int k = turn;
    turn = (turn + 1) % vehicles.size();
    SimVehicle vehicle = vehicles.get(k);
    Reading reading = reading(k, vehicle);
    inFlight = k;
    sentNanos = System.nanoTime();
    run.tally().sent();
    writePing(channel, vehicle.device(), reading);
  }

  /**
   * The vehicle's next reading with event time now (whole milliseconds, later than its last ping),
   * the motion driven on by the time since that ping.
   */
  private Reading reading(int k, SimVehicle vehicle) {
    long nowMs = System.currentTimeMillis();
    long last = lastRecordedMs[k];
    long at = Math.max(nowMs, last + 1);
    Duration step =
        last == 0
            ? Duration.ofNanos(Math.max(run.intervalNanos(), 1_000_000_000L))
            : Duration.ofMillis(at - last);
    lastRecordedMs[k] = at;
    return vehicle
        .next(step, Instant.ofEpochMilli(nowMs))
        .reading()
        .withRecordedAt(Instant.ofEpochMilli(at));
  }

  private void scheduleTick() {
    long delay = Math.max(0, nextTickNanos - System.nanoTime());
    loop.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
  }

  private void tick() {
    if (run.stopping().get()) {
      return;
    }
    nextTickNanos += run.intervalNanos();
    scheduleTick();
    checkAnswerTimeout();
    if (ready && inFlight < 0) {
      sendNext();
    } else {
      run.tally().late();
      pending = true;
    }
  }

  private void checkAnswerTimeout() {
    if (inFlight >= 0
        && channel != null
        && System.nanoTime() - sentNanos > ANSWER_TIMEOUT.toNanos()) {
      closeReason = "ack_timeout";
      channel.close();
    }
  }

  private void reconnectLater() {
    if (run.stopping().get()) {
      return;
    }
    loop.schedule(this::connect, backoffMs, TimeUnit.MILLISECONDS);
    backoffMs = Math.min(LAST_BACKOFF_MS, backoffMs * 2);
  }

  private static String connectFailure(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "connect_timeout";
    }
    if (cause instanceof ConnectException) {
      return "connect_refused";
    }
    return "connect_" + cause.getClass().getSimpleName();
  }
}
