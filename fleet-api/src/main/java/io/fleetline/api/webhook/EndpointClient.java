package io.fleetline.api.webhook;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Sends one webhook request over HTTP/1.1 to an address that {@link Destinations} checked, never to
 * one looked up again. Connecting and answering are each bounded in time, and the whole attempt
 * (every address tried, the TLS handshake, the request and the answer) ends within the connect
 * timeout plus the response timeout: a watchdog closes the socket of an endpoint that is still
 * trickling bytes then. Only the status line of the answer is read (at most {@value
 * #MAX_STATUS_LINE} bytes), redirects are not followed (a 3xx is an unsuccessful answer), and the
 * connection is closed after every request.
 */
@Component
class EndpointClient {

  static final int MAX_STATUS_LINE = 1024;

  /** Closes the sockets of attempts that outlive their deadline; one thread for every attempt. */
  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final SSLSocketFactory tls;

  @Autowired
  EndpointClient(WebhookProperties properties) {
    this(properties, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** With the trust of the given factory instead of the JVM's default trust store. */
  EndpointClient(WebhookProperties properties, SSLSocketFactory tls) {
    this.connectTimeout = properties.connectTimeout();
    this.responseTimeout = properties.responseTimeout();
    this.tls = tls;
  }

  /** The endpoint's answer: its status code and the status line as sent. */
  record Answer(int statusCode, String statusLine) {
    boolean successful() {
      return statusCode >= 200 && statusCode < 300;
    }
  }

  /** Posts the JSON body with the given headers; throws when no answer came in time. */
  Answer post(Destinations.Target target, Map<String, String> headers, byte[] body)
      throws IOException {
    long attemptDeadline = System.nanoTime() + connectTimeout.plus(responseTimeout).toNanos();
    IOException failure = null;
    for (InetAddress address : target.addresses()) {
      long remaining = attemptDeadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      Socket socket = new Socket();
      AtomicBoolean cut = new AtomicBoolean();
      ScheduledFuture<?> watch =
          WATCHDOG.schedule(
              () -> {
                cut.set(true);
                closeQuietly(socket);
              },
              remaining,
              TimeUnit.NANOSECONDS);
      try {
        try {
          socket.connect(
              new InetSocketAddress(address, target.port()),
              (int) Math.max(1, Math.min(connectTimeout.toMillis(), remaining / 1_000_000)));
        } catch (IOException e) {
          socket.close();
          failure = new IOException("connecting to " + address.getHostAddress() + " failed: " + e);
          continue;
        }
        long deadline = System.nanoTime() + responseTimeout.toNanos();
        try (Socket connection = target.https() ? tls(socket, target) : socket) {
          connection.setSoTimeout((int) responseTimeout.toMillis());
          OutputStream out = new BufferedOutputStream(connection.getOutputStream());
          out.write(head(target, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
          out.write(body);
          out.flush();
          return statusLine(connection, deadline);
        } finally {
          socket.close();
        }
      } catch (IOException e) {
        if (cut.get()) {
          throw new SocketTimeoutException(
              "the attempt did not end within "
                  + connectTimeout.plus(responseTimeout).toMillis()
                  + " ms");
        }
        throw e;
      } finally {
        watch.cancel(false);
      }
    }
    if (failure == null && System.nanoTime() >= attemptDeadline) {
      failure = new SocketTimeoutException("no address answered within the attempt's deadline");
    }
    throw failure == null ? new IOException("the host has no address") : failure;
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor watchdog =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "webhook-attempt-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    watchdog.setRemoveOnCancelPolicy(true);
    return watchdog;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all the watchdog can do; the attempt fails either way
    }
  }

  private Socket tls(Socket socket, Destinations.Target target) throws IOException {
    SSLSocket secured =
        (SSLSocket) this.tls.createSocket(socket, target.host(), target.port(), true);
    SSLParameters parameters = secured.getSSLParameters();
    // The certificate must name the host of the URL, though the address was resolved here.
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!target.host().contains(":") && !target.host().matches("[0-9.]+")) {
      parameters.setServerNames(List.of(new SNIHostName(target.host())));
    }
    secured.setSSLParameters(parameters);
    secured.setSoTimeout((int) responseTimeout.toMillis());
    secured.startHandshake();
    return secured;
  }

  private static String head(Destinations.Target target, Map<String, String> headers, int length) {
    StringBuilder head = new StringBuilder(512);
    head.append("POST ").append(target.pathAndQuery()).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(target.hostHeader()).append("\r\n");
    head.append("User-Agent: Fleetline-Webhooks/1\r\n");
    head.append("Content-Type: application/json\r\n");
    head.append("Content-Length: ").append(length).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Connection: close\r\n\r\n");
    return head.toString();
  }

  /** Reads the status line within the deadline, however slowly the endpoint sends it. */
  private static Answer statusLine(Socket connection, long deadline) throws IOException {
    InputStream in = connection.getInputStream();
    byte[] line = new byte[MAX_STATUS_LINE];
    int length = 0;
    while (true) {
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        throw new SocketTimeoutException("no answer within the response timeout");
      }
      connection.setSoTimeout((int) Math.max(1, remainingMillis));
      int b = in.read();
      if (b == -1) {
        throw new IOException("the endpoint closed the connection without an answer");
      }
      if (b == '\n') {
        break;
      }
      if (length == MAX_STATUS_LINE) {
        throw new IOException("the endpoint's status line is too long");
      }
      line[length++] = (byte) b;
    }
    String status = new String(line, 0, length, StandardCharsets.ISO_8859_1).strip();
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9]{2}")) {
      throw new IOException("the endpoint did not answer HTTP/1.x");
    }
    return new Answer(Integer.parseInt(parts[1]), status);
  }
}
