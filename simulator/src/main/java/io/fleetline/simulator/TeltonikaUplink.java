package io.fleetline.simulator;

import io.fleetline.simulator.truth.Answers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Teltonika Codec 8 Extended over TCP, one connection per device as real trackers keep it: the IMEI
 * handshake (answered {@code 01}), then packets of up to 255 records, each waiting for the 4-byte
 * record-count acknowledgement before the next. A lost connection is opened again and the
 * unacknowledged packet resent.
 */
final class TeltonikaUplink implements Uplink {

  private final String host;
  private final int port;
  private final Retry retry;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  TeltonikaUplink(String hostPort, Retry retry) {
    int colon = hostPort.lastIndexOf(':');
    this.host = hostPort.substring(0, colon);
    this.port = Integer.parseInt(hostPort.substring(colon + 1));
    this.retry = retry;
  }

  /** A device's TCP connection after a successful handshake. */
  private final class Connection implements AutoCloseable {
    private final Socket socket = new Socket();
    private final DataInputStream in;
    private final OutputStream out;

    /** Opens and handshakes; {@code accepted} tells whether ingest answered {@code 01}. */
    Connection(String imei) throws IOException {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(30_000);
      socket.setTcpNoDelay(true);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      out.write(Codec8e.imei(imei));
      out.flush();
    }

    boolean accepted() throws IOException {
      return in.read() == 1;
    }

    int send(byte[] packet) throws IOException {
      out.write(packet);
      out.flush();
      return in.readInt();
    }

    /** Whether the server closes the connection (rather than acknowledging) after this packet. */
    boolean closedAfter(byte[] packet) throws IOException {
      out.write(packet);
      out.flush();
      socket.setSoTimeout(10_000);
      try {
        return in.read() < 0;
      } catch (SocketException | EOFException e) {
        return true; // reset by the server
      } catch (SocketTimeoutException e) {
        return false;
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  @Override
  public int maxBatch() {
    return Codec8e.MAX_RECORDS;
  }

  @Override
  public boolean carriesAccuracy() {
    return false;
  }

  @Override
  public Reading carried(Reading r) {
    Codec8e.AvlRecord avl = Codec8e.record(r, false);
    return new Reading(
        Instant.ofEpochMilli(avl.timestampMs()),
        avl.latitudeE7() / 1e7,
        avl.longitudeE7() / 1e7,
        avl.speedKmh(),
        avl.angleDeg(),
        (short) avl.altitudeM(),
        Double.NaN,
        Math.round(r.odometerKm() * 1000) / 1000.0,
        r.ignition(),
        r.gpsJump());
  }

  /** An IMEI registered nowhere: the device's own with another reporting-body prefix. */
  static String unknownImei(String imei) {
    return "99" + imei.substring(2);
  }

  @Override
  public List<Outcome> send(Device device, List<Outgoing> items) throws InterruptedException {
    Outcome[] outcomes = new Outcome[items.size()];
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Outgoing item = items.get(i);
      if (item.invalid() == InvalidKind.UNKNOWN_DEVICE || item.invalid() == InvalidKind.MALFORMED) {
        flush(device, items, pending, outcomes);
        outcomes[i] =
            item.invalid() == InvalidKind.UNKNOWN_DEVICE
                ? refusedHandshake(device)
                : corruptPacket(device, item);
        continue;
      }
      pending.add(i);
      if (pending.size() == Codec8e.MAX_RECORDS) {
        flush(device, items, pending, outcomes);
      }
    }
    flush(device, items, pending, outcomes);
    return Arrays.asList(outcomes);
  }

  private void flush(Device device, List<Outgoing> items, List<Integer> pending, Outcome[] outcomes)
      throws InterruptedException {
    if (pending.isEmpty()) {
      return;
    }
    List<Codec8e.AvlRecord> records = new ArrayList<>(pending.size());
    for (int i : pending) {
      Outgoing item = items.get(i);
      records.add(
          Codec8e.record(item.reading(), item.invalid() == InvalidKind.ATTRIBUTES_TOO_LARGE));
    }
    byte[] packet = Codec8e.packet(records);
    Integer acked =
        retry.run(
            () -> {
              Connection c = connection(device);
              try {
                return c.send(packet);
              } catch (IOException e) {
                drop(device);
                throw e;
              }
            });
    for (int i : pending) {
      Outgoing item = items.get(i);
      outcomes[i] =
          acked == null || acked != records.size()
              ? Outcome.failed()
              : item.isValid() ? Outcome.accepted() : new Outcome(true, Answers.ACKNOWLEDGED, null);
    }
    pending.clear();
  }

  private Connection connection(Device device) throws IOException, Retry.TransientException {
    Connection c = connections.get(device.identifier());
    if (c != null) {
      return c;
    }
    c = new Connection(device.identifier());
    if (!c.accepted()) {
      c.close();
      // right after registration ingest may not know the IMEI yet
      throw new Retry.TransientException("IMEI " + device.identifier() + " refused");
    }
    connections.put(device.identifier(), c);
    return c;
  }

  private void drop(Device device) {
    Connection c = connections.remove(device.identifier());
    if (c != null) {
      c.close();
    }
  }

  /** Whether the IMEI handshake of an unregistered IMEI is refused. */
  boolean handshakeAccepted(String imei) throws IOException {
    try (Connection c = new Connection(imei)) {
      return c.accepted();
    }
  }

  private Outcome refusedHandshake(Device device) throws InterruptedException {
    Boolean accepted = retry.run(() -> handshakeAccepted(unknownImei(device.identifier())));
    return accepted == null
        ? Outcome.failed()
        : new Outcome(!accepted, Answers.HANDSHAKE_REFUSED, null);
  }

  private Outcome corruptPacket(Device device, Outgoing item) throws InterruptedException {
    byte[] packet =
        Codec8e.corrupted(Codec8e.packet(List.of(Codec8e.record(item.reading(), false))));
    Boolean closed =
        retry.run(
            () -> {
              Connection c = connection(device);
              try {
                return c.closedAfter(packet);
              } finally {
                drop(device); // either way this connection is done
              }
            });
    return closed == null ? Outcome.failed() : new Outcome(closed, Answers.CONNECTION_CLOSED, null);
  }

  @Override
  public void close() {
    connections.values().forEach(Connection::close);
    connections.clear();
  }
}
