package io.fleetline.ingest.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket layer under ingest's own device listeners (OsmAnd, Teltonika): Linux's epoll through
 * Netty's native transport where its library loads, Java NIO anywhere else. With thousands of
 * devices each sending a small message a second, most of a listener's time is spent waking up for
 * sockets; the native transport does that with fewer system calls and less garbage than the JDK's
 * selector. {@code -Dio.netty.transport.noNative=true} forces NIO.
 */
public final class ServerTransport {

  private static final Logger log = LoggerFactory.getLogger(ServerTransport.class);
  private static final boolean EPOLL = Epoll.isAvailable();

  static {
    if (!EPOLL) {
      log.info(
          "Device listeners use Java NIO; the native epoll transport is unavailable: {}",
          Epoll.unavailabilityCause().toString());
    }
  }

  private ServerTransport() {}

  /** How the listener's event loops wait for their sockets. */
  public static IoHandlerFactory ioHandlerFactory() {
    return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** The listening socket's channel type, matching {@link #ioHandlerFactory()}. */
  public static Class<? extends ServerSocketChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** {@code epoll} or {@code nio}, for logs. */
  public static String name() {
    return EPOLL ? "epoll" : "nio";
  }
}
