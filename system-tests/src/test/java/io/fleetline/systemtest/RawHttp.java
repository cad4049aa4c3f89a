package io.fleetline.systemtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP as an attacker speaks it: raw requests over sockets that may come from another loopback
 * address (Linux routes all of 127/8 to lo), declare bodies they never send, or stay open.
 */
final class RawHttp {

  /** The source address of attacks, so per-address limits never count the honest clients. */
  static final String ATTACKER_ADDRESS = "127.0.0.2";

  private RawHttp() {}

  /** Sockets held open by an attack until closed; closing them ends the attack. */
  static final class Held implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    /**
     * Opens {@code count} connections from the attacker's address to {@code port}, each sending
     * {@code head} and then {@code firstBodyBytes} of the body it declares, and nothing more. A
     * connection the server refuses or closes at once counts as opened: refusing is a defence.
     */
    Held open(int port, int count, String head, int firstBodyBytes) {
      for (int i = 0; i < count; i++) {
        try {
          Socket socket = connect(port);
          sockets.add(socket);
          socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
          socket.getOutputStream().write(new byte[firstBodyBytes]);
          socket.getOutputStream().flush();
        } catch (IOException refused) {
          // refused, reset or closed by the server: the attack gets nothing, which is the point
        }
      }
      return this;
    }

    int size() {
      return sockets.size();
    }

    @Override
    public void close() {
      for (Socket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
      sockets.clear();
    }
  }

  /**
   * Sends {@code request} whole from the attacker's address and returns the answer's status code,
   * or -1 when the server closed the connection without one.
   */
  static int exchange(int port, byte[] request) {
    try (Socket socket = connect(port)) {
      socket.setSoTimeout(30_000);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (SocketException closedEarly) {
        // The server may answer (413, 429) and close before the whole body is written.
      }
      return status(socket.getInputStream());
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within 30 s on port " + port, e);
    } catch (IOException e) {
      return -1;
    }
  }

  /** A request head with the given method, path, extra header lines and declared length. */
  static String head(String method, String path, String headers, long contentLength) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + headers
        + "Content-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  /** A whole request: the head for {@code body} and the body. */
  static byte[] request(String method, String path, String headers, byte[] body) {
    byte[] head = head(method, path, headers, body.length).getBytes(StandardCharsets.ISO_8859_1);
    byte[] whole = new byte[head.length + body.length];
    System.arraycopy(head, 0, whole, 0, head.length);
    System.arraycopy(body, 0, whole, head.length, body.length);
    return whole;
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(ATTACKER_ADDRESS), 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    return socket;
  }

  private static int status(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    String statusLine = line.toString(StandardCharsets.ISO_8859_1);
    if (!statusLine.startsWith("HTTP/1.1 ")) {
      return -1;
    }
    try {
      return Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new UncheckedIOException(new IOException("not an HTTP status line: " + statusLine));
    }
  }
}
