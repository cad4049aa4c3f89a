package io.fleetline.ingest.osmand;

import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.transport.ServerTransport;
import io.fleetline.ingest.transport.SourceKeys;
import io.fleetline.ingest.transport.TransportProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * The OsmAnd port: a small HTTP/1.1 server of its own on Netty event loops, for the one request per
 * position that the Traccar Client apps and OsmAnd trackers send. No request holds a thread while
 * Kafka acknowledges it; the answer is written when it has. On stop it refuses new connections,
 * lets requests in flight get their answers, then closes every connection.
 */
@Component
class OsmandServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OsmandServer.class);

  /** Room in the request line for the method, the path and the protocol version. */
  private static final int REQUEST_LINE_OVERHEAD = 64;

  /** The property holding the port actually bound, once listening. */
  static final String LOCAL_PORT_PROPERTY = "local.osmand.port";

  private final OsmandProperties properties;
  private final OsmandEndpoint endpoint;
  private final OsmandLimits limits;
  private final SourceSlots sources;
  private final Duration drainTimeout;
  private final AtomicInteger open = new AtomicInteger();
  private final Counter refusedConnections;
  private final ChannelGroup connections =
      new DefaultChannelGroup("osmand", GlobalEventExecutor.INSTANCE);
  private final AtomicInteger answering = new AtomicInteger();
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private Channel serverChannel;
  private volatile int port = -1;
  private volatile boolean running;
  private final ConfigurableEnvironment environment;

  OsmandServer(
      ConfigurableEnvironment environment,
      OsmandProperties properties,
      OsmandEndpoint endpoint,
      TransportProperties transport,
      IngestProperties ingest,
      MeterRegistry meters) {
    this.environment = environment;
    this.properties = properties;
    this.endpoint = endpoint;
    this.limits = OsmandLimits.of(properties, transport, ingest);
    this.sources =
        new SourceSlots(
            transport.maxRequestsPerSource(),
            Counter.builder("fleetline.ingest.http.refused")
                .description("HTTP requests refused at once (429) by a per-address limit")
                .tag("reason", "requests_per_source")
                .register(meters));
    this.refusedConnections =
        Counter.builder("fleetline.ingest.osmand.connections.refused")
            .description("OsmAnd connections closed at once because the port holds its maximum")
            .register(meters);
    Gauge.builder("fleetline.ingest.osmand.connections", open, AtomicInteger::get)
        .description("OsmAnd connections open")
        .register(meters);
    // A request in flight waits at most the publish timeout for Kafka (the delivery timeout, which
    // start-up holds to it).
    this.drainTimeout = ingest.publishTimeout().plusSeconds(1);
  }

  @Override
  public synchronized void start() {
    if (!properties.enabled() || running) {
      return;
    }
    bossGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("osmand-accept", true), ServerTransport.ioHandlerFactory());
    workerGroup =
        new MultiThreadIoEventLoopGroup(
            properties.ioThreads(),
            new DefaultThreadFactory("osmand-io", true),
            ServerTransport.ioHandlerFactory());
    try {
      serverChannel =
          new ServerBootstrap()
              .group(bossGroup, workerGroup)
              .channel(ServerTransport.serverChannel())
              .option(ChannelOption.SO_BACKLOG, properties.acceptCount())
              .childOption(ChannelOption.TCP_NODELAY, true)
              // Each connection reads on demand (see OsmandConnection).
              .childOption(ChannelOption.AUTO_READ, false)
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
    // Like local.server.port: where the port really is when it was asked for as 0.
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("osmand-port", Map.of(LOCAL_PORT_PROPERTY, port)));
    log.info(
        "OsmAnd listener on {}:{} ({})", properties.bindAddress(), port, ServerTransport.name());
  }

  private void initConnection(SocketChannel channel) {
    int now = open.incrementAndGet();
    channel.closeFuture().addListener(f -> open.decrementAndGet());
    if (now > properties.maxConnections()) {
      refusedConnections.increment();
      channel.close();
      return;
    }
    connections.add(channel);
    OsmandConnection connection =
        new OsmandConnection(
            endpoint,
            answering,
            limits,
            sources,
            SourceKeys.of(channel.remoteAddress().getAddress()));
    HttpDecoderConfig decoding =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(limits.maxQueryBytes() + REQUEST_LINE_OVERHEAD)
            .setMaxHeaderSize((int) properties.maxHeaderSize().toBytes())
            .setMaxChunkSize(8192);
    channel
        .pipeline()
        .addLast(
            "idle",
            new IdleStateHandler(
                limits.connectionTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast("first-bytes", connection.firstBytes())
        .addLast("http", new HttpServerCodec(decoding))
        .addLast("osmand", connection);
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    serverChannel.close().syncUninterruptibly();
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    // Requests with Kafka get their answers; idle connections are closed below.
    while (answering.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutDownThreads();
    log.info("OsmAnd listener stopped");
  }

  private void shutDownThreads() {
    bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops among the first, so Kafka is still there for the requests it drains. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }

  /** The port actually bound (useful with {@code port=0}), or -1 when not listening. */
  int port() {
    return port;
  }
}
