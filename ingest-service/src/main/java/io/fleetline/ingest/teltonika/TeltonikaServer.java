package io.fleetline.ingest.teltonika;

import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.intake.PingIntake;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.transport.ServerTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The Teltonika Codec 8 / 8 Extended TCP listener, started and stopped with the application. On
 * stop it refuses new connections, lets packets already in flight finish (so their devices get
 * their acknowledgements), then closes every connection and its event loops.
 */
@Component
class TeltonikaServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TeltonikaServer.class);

  private final TeltonikaProperties properties;
  private final ImeiCheck imeiCheck;
  private final PacketIntake intake;
  private final TeltonikaMetrics metrics;
  private final ConnectionSlots slots;
  private final Duration drainTimeout;
  private final ChannelGroup connections =
      new DefaultChannelGroup("teltonika", GlobalEventExecutor.INSTANCE);
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private final AtomicInteger packetsInFlight = new AtomicInteger();
  private Channel serverChannel;
  private volatile int port = -1;
  private volatile boolean running;

  @Autowired
  TeltonikaServer(
      TeltonikaProperties properties,
      DeviceRegistry registry,
      PingIntake pingIntake,
      IngestProperties ingestProperties,
      MeterRegistry meterRegistry) {
    this(
        properties,
        ImeiCheck.against(registry),
        (device, items) -> pingIntake.acceptAsync(device, TeltonikaSessionHandler.PROTOCOL, items),
        // A packet in flight waits at most the publish timeout for Kafka.
        ingestProperties.publishTimeout().plusSeconds(1),
        new TeltonikaMetrics(meterRegistry));
  }

  TeltonikaServer(
      TeltonikaProperties properties,
      ImeiCheck imeiCheck,
      PacketIntake intake,
      Duration drainTimeout,
      TeltonikaMetrics metrics) {
    this.properties = properties;
    this.imeiCheck = imeiCheck;
    this.intake = intake;
    this.drainTimeout = drainTimeout;
    this.metrics = metrics;
    this.slots =
        new ConnectionSlots(
            properties.maxHandshakesPerSource(), properties.maxConnectionsPerDevice());
  }

  @Override
  public synchronized void start() {
    if (!properties.enabled() || running) {
      return;
    }
    bossGroup = new MultiThreadIoEventLoopGroup(1, ServerTransport.ioHandlerFactory());
    workerGroup =
        new MultiThreadIoEventLoopGroup(properties.ioThreads(), ServerTransport.ioHandlerFactory());
    try {
      serverChannel =
          new ServerBootstrap()
              .group(bossGroup, workerGroup)
              .channel(ServerTransport.serverChannel())
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                      initConnection(channel);
                    }
                  })
              .bind(properties.bindAddress(), properties.port())
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      shutDownThreads();
      throw e;
    }
    port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    running = true;
    log.info(
        "Teltonika Codec 8/8E listener on {}:{} ({})",
        properties.bindAddress(),
        port,
        ServerTransport.name());
  }

  private void initConnection(SocketChannel channel) {
    int open = metrics.connectionOpened();
    channel.closeFuture().addListener(f -> metrics.connectionClosed());
    if (open > properties.maxConnections()) {
      metrics.connectionRefused("max_connections");
      channel.close();
      return;
    }
    InetAddress source = channel.remoteAddress().getAddress();
    if (!slots.startHandshake(source)) {
      metrics.connectionRefused("handshakes_per_source");
      channel.close();
      return;
    }
    connections.add(channel);
    channel
        .pipeline()
        .addLast(
            "idle",
            new IdleStateHandler(properties.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast("frames", new TeltonikaFrameDecoder(properties.maxFrameBytes(), metrics));
    TeltonikaSessionHandler session =
        new TeltonikaSessionHandler(imeiCheck, intake, packetsInFlight, metrics);
    channel.pipeline().addLast("session", session);
    channel.pipeline().addLast("slots", new SlotKeeper(slots, source, metrics));
    channel
        .eventLoop()
        .schedule(
            () -> {
              if (channel.isActive() && !session.identified()) {
                metrics.handshakeTimedOut();
                channel.close();
              }
            },
            properties.handshakeTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    serverChannel.close().syncUninterruptibly();
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    // Packets with Kafka get their acknowledgements; connections are closed below.
    while (packetsInFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (packetsInFlight.get() > 0) {
      log.warn(
          "Teltonika packets still in flight after {}; their devices will resend", drainTimeout);
    }
    // Acknowledgements of the drained packets were written on the event loops before these closes.
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutDownThreads();
    log.info("Teltonika listener stopped");
  }

  private void shutDownThreads() {
    bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops among the first, so Kafka is still there for the packets it drains. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }

  /** The port actually bound (useful with {@code port=0}), or -1 when not listening. */
  int port() {
    return port;
  }
}
