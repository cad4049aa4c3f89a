package io.fleetline.simulator;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The device links' socket layer: Linux's epoll through Netty's native transport where it loads,
 * Java NIO elsewhere. The generator shares the machine with the stack it measures, so every system
 * call it saves is CPU left to the stack. {@code -Dio.netty.transport.noNative=true} forces NIO.
 */
final class ClientTransport {

  private static final boolean EPOLL = Epoll.isAvailable();

  private ClientTransport() {}

  static IoHandlerFactory ioHandlerFactory() {
    return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  static Class<? extends SocketChannel> socketChannel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  static String name() {
    return EPOLL ? "epoll" : "nio";
  }
}
