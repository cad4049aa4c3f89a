package io.fleetline.ingest.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A hand-written HTTP/1.1 client on a raw socket, for requests no well-behaved client sends. */
final class RawClient implements AutoCloseable {

  final Socket socket;

  private RawClient(Socket socket) {
    this.socket = socket;
  }

  /** Connects from the given loopback address (Linux routes all of 127/8 to lo). */
  static RawClient connect(String fromAddress, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(fromAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(30_000);
    return new RawClient(socket);
  }

  RawClient send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Whether the server has started answering (without blocking). */
  boolean answered() throws IOException {
    return socket.getInputStream().available() > 0;
  }

  /** Everything the server sends until it closes the connection. */
  String readUntilClosed() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      out.write(buffer, 0, n);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** What the server sends until the text contains the marker (the connection stays open). */
  String readUntil(String marker) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!out.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** One whole response with a Content-Length (the connection may stay open). */
  String readResponse() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return headers + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
