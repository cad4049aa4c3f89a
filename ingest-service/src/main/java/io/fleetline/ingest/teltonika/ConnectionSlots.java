package io.fleetline.ingest.teltonika;

import io.fleetline.ingest.transport.SourceKeys;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who holds the listener's connections: connections still waiting for their IMEI handshake, counted
 * per remote address, and identified connections, counted per device. A tracker that reconnects
 * gets a new connection while the old one may look open for minutes (a dead mobile link), so a new
 * identified connection replaces the device's oldest rather than being refused.
 */
final class ConnectionSlots {

  private final int maxHandshakesPerSource;
  private final int maxConnectionsPerDevice;
  private final ConcurrentMap<String, Integer> handshakes = new ConcurrentHashMap<>();
  private final ConcurrentMap<UUID, Deque<Channel>> devices = new ConcurrentHashMap<>();

  ConnectionSlots(int maxHandshakesPerSource, int maxConnectionsPerDevice) {
    this.maxHandshakesPerSource = maxHandshakesPerSource;
    this.maxConnectionsPerDevice = maxConnectionsPerDevice;
  }

  /**
   * Takes a handshake slot for the address (an IPv6 one counted by its /64); false when it already
   * holds all of them.
   */
  boolean startHandshake(InetAddress source) {
    if (handshakes.merge(SourceKeys.of(source), 1, Integer::sum) <= maxHandshakesPerSource) {
      return true;
    }
    endHandshake(source);
    return false;
  }

  void endHandshake(InetAddress source) {
    handshakes.computeIfPresent(
        SourceKeys.of(source), (key, count) -> count == 1 ? null : count - 1);
  }

  /** Counts the connection for the device; returns the older connections it replaces. */
  List<Channel> identified(UUID deviceId, Channel channel) {
    List<Channel> replaced = new ArrayList<>();
    devices.compute(
        deviceId,
        (key, open) -> {
          Deque<Channel> channels = open == null ? new ArrayDeque<>() : open;
          channels.addLast(channel);
          while (channels.size() > maxConnectionsPerDevice) {
            replaced.add(channels.pollFirst());
          }
          return channels;
        });
    return replaced;
  }

  void closed(UUID deviceId, Channel channel) {
    devices.computeIfPresent(
        deviceId,
        (key, open) -> {
          open.remove(channel);
          return open.isEmpty() ? null : open;
        });
  }
}
