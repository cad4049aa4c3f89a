package io.fleetline.api.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay in front of the test database that a test can cut, as a network failure or a stopped
 * server would: every connection through it breaks and new ones are refused.
 */
final class DatabaseRelay implements AutoCloseable {

  private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.*)");

  private final String host;
  private final int port;
  private final String rest;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** A relay to the database of the given JDBC URL. */
  DatabaseRelay(String jdbcUrl) throws IOException {
    Matcher url = JDBC_URL.matcher(jdbcUrl);
    if (!url.matches()) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL with a port: " + jdbcUrl);
    }
    this.host = url.group(1);
    this.port = Integer.parseInt(url.group(2));
    this.rest = url.group(3);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.submit(this::accept);
  }

  /** The JDBC URL of the same database through the relay. */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + listener.getLocalPort() + "/" + rest;
  }

  /** Breaks every connection through the relay and refuses new ones. */
  void cut() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // closed either way
    }
    sockets.forEach(DatabaseRelay::closeQuietly);
  }

  @Override
  public void close() {
    cut();
    threads.shutdownNow();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket database = new Socket(host, port);
        sockets.add(client);
        sockets.add(database);
        threads.submit(() -> pump(client, database));
        threads.submit(() -> pump(database, client));
      } catch (IOException e) {
        // the listener was closed, or the database refused: the client sees its connection end
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed either way
    }
  }
}
