package io.fleetline.simulator;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A device connection speaking HTTP/1.1 with keep-alive: OsmAnd ({@code GET} with the position in
 * the query, {@code 200} when stored) or HTTP JSON (one ping per {@code POST}, {@code 202} when
 * stored). An answer listing a rejection counts as failed with its reason.
 */
final class HttpDeviceLink extends DeviceLink {

  private final boolean osmand;
  private final String hostHeader;
  private final String path;

  private HttpDeviceLink(
      Run run,
      EventLoop loop,
      InetSocketAddress address,
      List<SimVehicle> vehicles,
      long phaseNanos,
      boolean osmand,
      String hostHeader,
      String path) {
    super(run, loop, address, vehicles, phaseNanos);
    this.osmand = osmand;
    this.hostHeader = hostHeader;
    this.path = path;
  }

  /** OsmAnd devices sending to {@code osmandUrl}, whose path the requests go to. */
  static HttpDeviceLink osmand(
      Run run, EventLoop loop, URI osmandUrl, List<SimVehicle> vehicles, long phaseNanos) {
    String path =
        osmandUrl.getRawPath() == null || osmandUrl.getRawPath().isEmpty()
            ? "/"
            : osmandUrl.getRawPath();
    return new HttpDeviceLink(
        run, loop, address(osmandUrl), vehicles, phaseNanos, true, hostHeader(osmandUrl), path);
  }

  /** HTTP JSON devices posting to {@code ingestUrl}/api/v1/pings. */
  static HttpDeviceLink json(
      Run run, EventLoop loop, URI ingestUrl, List<SimVehicle> vehicles, long phaseNanos) {
    String base = ingestUrl.getRawPath() == null ? "" : ingestUrl.getRawPath();
    String path =
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/pings";
    return new HttpDeviceLink(
        run, loop, address(ingestUrl), vehicles, phaseNanos, false, hostHeader(ingestUrl), path);
  }

  static InetSocketAddress address(URI url) {
    if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "the devices mode sends plain http://host:port, not " + url);
    }
    return new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
  }

  private static String hostHeader(URI url) {
    return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
  }

  @Override
  void addCodecs(ChannelPipeline pipeline) {
    pipeline.addLast(new HttpClientCodec());
    pipeline.addLast(new HttpObjectAggregator(MAX_ANSWER_BYTES));
  }

  @Override
  void login(ChannelHandlerContext ctx) {
    ready(); // OsmAnd identifies the device in each request, HTTP JSON authenticates each one
  }

  @Override
  void writePing(Channel channel, Device device, Reading reading) {
    FullHttpRequest request =
        osmand
            ? DeviceFrames.osmand(hostHeader, path, device.identifier(), reading)
            : DeviceFrames.json(hostHeader, path, device.token(), reading);
    channel.writeAndFlush(request, channel.voidPromise());
  }

  @Override
  void answer(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof FullHttpResponse response)) {
      abandon(ctx, "unexpected_answer");
      return;
    }
    int status = response.status().code();
    if (status != (osmand ? 200 : 202)) {
      failed("http_" + status);
      return;
    }
    // Cheap check first: a stored ping's answer names no reason.
    String body = response.content().toString(StandardCharsets.UTF_8);
    int reason = body.indexOf("\"reason\"");
    if (reason >= 0) {
      failed("rejected");
      return;
    }
    acknowledged();
  }
}
