package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.simulator.truth.Answers;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TeltonikaUplinkTest {

  static final String IMEI = Identifiers.of(Protocol.TELTONIKA, "t1", 1);
  static final Device DEVICE = new Device("v-1", Protocol.TELTONIKA, IMEI, null);

  private TeltonikaServer server;
  private TeltonikaUplink uplink;

  @BeforeEach
  void start() throws IOException {
    server = new TeltonikaServer(Set.of(IMEI));
    uplink = new TeltonikaUplink("127.0.0.1:" + server.port(), new Retry(Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() throws IOException {
    uplink.close();
    server.close();
  }

  static List<Outgoing> readings(int n) {
    List<Outgoing> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(
          Outgoing.valid(
              new Reading(
                  Instant.parse("2026-11-26T08:00:00Z").plusSeconds(i),
                  52.52,
                  13.40 + i * 1e-5,
                  30,
                  90,
                  34,
                  5,
                  1000,
                  true,
                  false)));
    }
    return items;
  }

  @Test
  void sendsRecordsInPacketsOfAtMost255OnOneConnectionAndWaitsForEachAck() throws Exception {
    List<Outcome> outcomes = uplink.send(DEVICE, readings(300));

    assertThat(outcomes).hasSize(300).allMatch(Outcome::acknowledged);
    assertThat(server.handshakes).containsExactly(IMEI);
    assertThat(server.recordsPerPacket).containsExactly(255, 45);
  }

  @Test
  void keepsTheConnectionForTheNextUpload() throws Exception {
    uplink.send(DEVICE, readings(10));
    uplink.send(DEVICE, readings(10));
    assertThat(server.handshakes).hasSize(1);
    assertThat(server.recordsPerPacket).containsExactly(10, 10);
  }

  @Test
  void retriesTheHandshakeWhileIngestDoesNotKnowTheImeiYet() throws Exception {
    server.refuseFirst.set(2);
    List<Outcome> outcomes = uplink.send(DEVICE, readings(3));
    assertThat(outcomes).allMatch(Outcome::acknowledged);
    assertThat(server.handshakes).hasSize(3);
  }

  @Test
  void resendsAPacketWhoseAcknowledgementNeverCame() throws Exception {
    server.dropFirstPacket.set(true);
    List<Outcome> outcomes = uplink.send(DEVICE, readings(5));
    assertThat(outcomes).allMatch(Outcome::acknowledged);
    assertThat(server.recordsPerPacket).containsExactly(5);
    assertThat(server.handshakes).hasSize(2);
  }

  @Test
  void anUnknownImeiIsRefusedAndACorruptPacketClosesTheConnection() throws Exception {
    List<Outgoing> items = new ArrayList<>(readings(4));
    items.set(1, new Outgoing(items.get(1).reading(), InvalidKind.UNKNOWN_DEVICE));
    items.set(2, new Outgoing(items.get(2).reading(), InvalidKind.MALFORMED));

    List<Outcome> outcomes = uplink.send(DEVICE, items);

    assertThat(outcomes.get(0)).isEqualTo(Outcome.accepted());
    assertThat(outcomes.get(1)).isEqualTo(new Outcome(true, Answers.HANDSHAKE_REFUSED, null));
    assertThat(outcomes.get(2)).isEqualTo(new Outcome(true, Answers.CONNECTION_CLOSED, null));
    assertThat(outcomes.get(3)).isEqualTo(Outcome.accepted());
    assertThat(server.handshakes).containsExactly(IMEI, TeltonikaUplink.unknownImei(IMEI), IMEI);
    assertThat(server.crcErrors.get()).isOne();
    assertThat(server.recordsPerPacket).containsExactly(1, 1);
  }

  /**
   * A Teltonika listener as the documentation describes it: IMEI handshake answered 01 or 00,
   * packets checked by CRC-16/IBM and acknowledged with their record count.
   */
  static final class TeltonikaServer implements AutoCloseable {
    final List<String> handshakes = new CopyOnWriteArrayList<>();
    final List<Integer> recordsPerPacket = new CopyOnWriteArrayList<>();
    final AtomicInteger crcErrors = new AtomicInteger();
    final AtomicInteger refuseFirst = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicBoolean dropFirstPacket =
        new java.util.concurrent.atomic.AtomicBoolean();
    final Set<String> known;
    private final ServerSocket socket = new ServerSocket(0);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    TeltonikaServer(Set<String> known) throws IOException {
      this.known = known;
      Thread acceptor = new Thread(this::accept, "teltonika-test-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          open.add(s);
          Thread t = new Thread(() -> serve(s));
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s;
          DataInputStream in = new DataInputStream(s.getInputStream());
          DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
        byte[] imei = new byte[in.readUnsignedShort()];
        in.readFully(imei);
        String id = new String(imei, StandardCharsets.US_ASCII);
        handshakes.add(id);
        boolean accept = known.contains(id) && refuseFirst.getAndDecrement() <= 0;
        out.write(accept ? 1 : 0);
        out.flush();
        if (!accept) {
          return;
        }
        while (true) {
          if (in.readInt() != 0) {
            return;
          }
          byte[] data = new byte[in.readInt()];
          in.readFully(data);
          int crc = in.readInt();
          if (crc != Crc16Ibm.of(data, 0, data.length)) {
            crcErrors.incrementAndGet();
            return;
          }
          if (dropFirstPacket.getAndSet(false)) {
            return;
          }
          int count = data[1] & 0xFF;
          recordsPerPacket.add(count);
          out.writeInt(count);
          out.flush();
        }
      } catch (IOException e) {
        // the client went away
      } finally {
        open.remove(s);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }
}
