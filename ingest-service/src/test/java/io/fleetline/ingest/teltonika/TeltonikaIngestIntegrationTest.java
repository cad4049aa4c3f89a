package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.Diagnostics;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingHeaders;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Teltonika Codec 8 Extended over a real TCP socket, against the real Kafka broker (KRaft). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.teltonika.port=0",
      "fleetline.ingest.teltonika.bind-address=127.0.0.1"
    })
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeltonikaIngestIntegrationTest {

  static final String IMEI = "356307042441013";
  static final String DISABLED_IMEI = "356307042441014";
  static final UUID VEHICLE = UUID.randomUUID();
  static final UUID DEVICE = UUID.randomUUID();

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Autowired TeltonikaServer server;
  @Autowired DeviceRegistry registry;
  @Autowired MeterRegistry meters;

  KafkaTopics topics;

  @BeforeAll
  void registerTrackers() throws Exception {
    topics = new KafkaTopics(brokers);
    topics.register(
        new DeviceRegistration(
            1, DEVICE, VEHICLE, UUID.randomUUID(), DeviceProtocol.TELTONIKA, IMEI, null, true),
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            DeviceProtocol.TELTONIKA,
            DISABLED_IMEI,
            null,
            false));
    await().atMost(Duration.ofSeconds(30)).until(registry::isLoaded);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry.find(new DeviceKey(DeviceProtocol.TELTONIKA, DISABLED_IMEI)).isPresent());
    assertThat(server.port()).isPositive();
  }

  /** A tracker's TCP connection: what it writes and the server's answers. */
  final class Tracker implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final DataInputStream in;

    Tracker() throws IOException {
      socket = new Socket("127.0.0.1", server.port());
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      in = new DataInputStream(socket.getInputStream());
    }

    int handshake(String imei) throws IOException {
      out.write(AvlFrames.imei(imei));
      out.flush();
      return in.read();
    }

    void send(byte[] packet) throws IOException {
      out.write(packet);
      out.flush();
    }

    /** True when the server closed the connection without sending anything more. */
    boolean closedWithoutAnswer() throws IOException {
      return in.read() == -1;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aRegisteredImeiIsAnswered01AndUnknownOrDisabledOnes00ThenClosed() throws Exception {
    try (Tracker registered = new Tracker();
        Tracker unknown = new Tracker();
        Tracker disabled = new Tracker()) {

      assertThat(registered.handshake(IMEI)).isEqualTo(0x01);
      assertThat(unknown.handshake("111111111111111")).isEqualTo(0x00);
      assertThat(disabled.handshake(DISABLED_IMEI)).isEqualTo(0x00);

      assertThat(unknown.closedWithoutAnswer()).isTrue();
      assertThat(disabled.closedWithoutAnswer()).isTrue();
      assertThat(registered.socket.isClosed()).isFalse();
    }
  }

  @Test
  void aTwoRecordCodec8ExtendedPacketIsAcknowledgedWith2OnceBothPingsAreInKafka() throws Exception {
    Instant first = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
    Instant second = first.plusSeconds(30);
    byte[] packet =
        AvlFrames.codec8e(
            AvlFrames.Record.at(first, 52.520008, 13.404954)
                .gps(34, 90, 12, 42)
                .io(1, 239, 1)
                .io(2, 66, 12_850)
                .io(4, 16, 1_234_500)
                .ioBytes(281, "P0301,P0420".getBytes(StandardCharsets.US_ASCII)),
            AvlFrames.Record.at(second, 52.521, 13.41).gps(35, 92, 11, 45).io(1, 239, 1));

    int ack;
    try (Tracker tracker = new Tracker()) {
      assertThat(tracker.handshake(IMEI)).isEqualTo(0x01);
      tracker.send(packet);
      ack = tracker.in.readInt();
    }

    assertThat(ack).isEqualTo(2);
    List<ConsumerRecord<String, byte[]>> records =
        topics.await(
            Topics.PINGS,
            r -> {
              VehiclePing p = FleetlineJson.read(r.value(), VehiclePing.class);
              return p.deviceId().equals(DEVICE)
                  && (p.recordedAt().equals(first) || p.recordedAt().equals(second));
            },
            2);
    assertThat(records).extracting(ConsumerRecord::key).containsOnly(VEHICLE.toString());
    assertThat(records)
        .extracting(
            r ->
                new String(
                    r.headers().lastHeader(PingHeaders.PROTOCOL).value(), StandardCharsets.UTF_8))
        .containsOnly("teltonika");
    VehiclePing ping =
        records.stream()
            .map(r -> FleetlineJson.read(r.value(), VehiclePing.class))
            .filter(p -> p.recordedAt().equals(first))
            .findFirst()
            .orElseThrow();
    assertThat(ping.protocol()).isEqualTo("teltonika");
    assertThat(ping.measurements().latitude()).isEqualTo(52.520008);
    assertThat(ping.measurements().longitude()).isEqualTo(13.404954);
    assertThat(ping.measurements().speedKmh()).isEqualTo(42.0);
    assertThat(ping.measurements().ignition()).isTrue();
    assertThat(ping.measurements().odometerKm()).isEqualTo(1234.5);
    assertThat(ping.attributes()).containsEntry("externalVoltageV", 12.85);
    assertThat(ping.measurements().diagnostics())
        .isEqualTo(
            new Diagnostics(
                12.85, null, null, null, null, null, null, null, List.of("P0301", "P0420")));
  }

  @Test
  void aRecordWithoutAFixIsAcknowledgedOnceItIsInTheRejectedTopic() throws Exception {
    Instant time = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
    AvlFrames.Record noFix = AvlFrames.Record.at(time, 0, 0).gps(0, 0, 0, 0).io(2, 9, 4242);
    byte[] packet = AvlFrames.codec8(noFix);

    int ack;
    try (Tracker tracker = new Tracker()) {
      assertThat(tracker.handshake(IMEI)).isEqualTo(0x01);
      tracker.send(packet);
      ack = tracker.in.readInt();
    }

    assertThat(ack).isEqualTo(1);
    byte[] original = noFix.encode(false);
    ConsumerRecord<String, byte[]> rejected =
        topics.await(Topics.PINGS_REJECTED, r -> Arrays.equals(r.value(), original), 1).get(0);
    assertThat(rejected.key()).isEqualTo(VEHICLE.toString());
    assertThat(
            new String(
                rejected.headers().lastHeader(PingHeaders.REJECT_REASON).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("null_island");
  }

  @Test
  void aPacketWithAGoodCrcButBrokenLayoutIsKeptAsRejectedAndAcknowledgedSoTheDeviceMovesOn()
      throws Exception {
    byte[] record = AvlFrames.Record.at(Instant.now(), 52.5, 13.4).encode(false);
    // The record count at the end disagrees with the one at the start: no record can be trusted.
    byte[] broken = AvlFrames.packet(0x08, 1, record, 2);
    Instant next = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);

    try (Tracker tracker = new Tracker()) {
      assertThat(tracker.handshake(IMEI)).isEqualTo(0x01);
      tracker.send(broken);
      assertThat(tracker.in.readInt()).isEqualTo(1);
      tracker.send(AvlFrames.codec8(AvlFrames.Record.at(next, 52.51, 13.41)));
      assertThat(tracker.in.readInt()).as("the connection goes on").isEqualTo(1);
    }

    ConsumerRecord<String, byte[]> rejected =
        topics.await(Topics.PINGS_REJECTED, r -> Arrays.equals(r.value(), broken), 1).get(0);
    assertThat(
            new String(
                rejected.headers().lastHeader(PingHeaders.REJECT_REASON).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("malformed");
    assertThat(rejected.key()).isEqualTo(VEHICLE.toString());
  }

  @Test
  void aPacketWithACorruptCrcIsNotAcknowledgedAndTheConnectionCloses() throws Exception {
    double crcErrorsBefore = crcErrors();
    byte[] packet =
        AvlFrames.withBadCrc(
            AvlFrames.codec8e(AvlFrames.Record.at(Instant.now(), 52.5, 13.4).io(1, 239, 0)));

    try (Tracker tracker = new Tracker()) {
      assertThat(tracker.handshake(IMEI)).isEqualTo(0x01);
      tracker.send(packet);

      assertThat(tracker.closedWithoutAnswer()).isTrue();
    }
    assertThat(crcErrors()).isEqualTo(crcErrorsBefore + 1);
  }

  private double crcErrors() {
    return meters.counter("fleetline.ingest.teltonika.frames", "result", "crc_error").count();
  }
}
