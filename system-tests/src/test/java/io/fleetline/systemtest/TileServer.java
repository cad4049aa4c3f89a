package io.fleetline.systemtest;

import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A map tile server for the console's browser tests: every {@code /tiles/{z}/{x}/{y}.png} is the
 * same plain 256-pixel tile with a grid line, so tests never reach the internet. Tiles outside
 * {@code /tiles/} answer 404, which the console must survive.
 */
final class TileServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger served = new AtomicInteger();

  private TileServer(HttpServer server) {
    this.server = server;
  }

  static TileServer start() {
    try {
      byte[] tile = tile();
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      TileServer tiles = new TileServer(server);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              if (exchange.getRequestURI().getPath().matches("/tiles/\\d+/\\d+/\\d+\\.png")) {
                tiles.served.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, tile.length);
                exchange.getResponseBody().write(tile);
              } else {
                exchange.sendResponseHeaders(404, -1);
              }
            }
          });
      server.start();
      return tiles;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL template fleet-api gives the console. */
  String urlTemplate() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/tiles/{z}/{x}/{y}.png";
  }

  int served() {
    return served.get();
  }

  private static byte[] tile() throws IOException {
    BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_BYTE_INDEXED);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(0xEE, 0xF1, 0xF4));
    g.fillRect(0, 0, 256, 256);
    g.setColor(new Color(0xC8, 0xCF, 0xD8));
    g.drawRect(0, 0, 255, 255);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return png.toByteArray();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
