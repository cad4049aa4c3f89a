package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.intake.IntakeResult;
import io.fleetline.ingest.publish.PingsNotDurableException;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.validation.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TeltonikaSessionHandlerTest {

  static final String IMEI = "356307042441013";
  static final Instant T = Instant.parse("2026-11-26T08:00:00Z");
  static final DeviceRegistration DEVICE =
      new DeviceRegistration(
          1,
          UUID.randomUUID(),
          UUID.randomUUID(),
          UUID.randomUUID(),
          DeviceProtocol.TELTONIKA,
          IMEI,
          null,
          true);

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final TeltonikaMetrics metrics = new TeltonikaMetrics(meters);

  /** Kafka's acknowledgements of handed-over packets, withheld until the test gives them. */
  final Queue<CompletableFuture<Void>> kafkaAnswers = new ArrayDeque<>();

  final AtomicInteger packetsInFlight = new AtomicInteger();
  final List<List<DecodedPing>> taken = new ArrayList<>();
  PacketIntake intake =
      (device, items) -> {
        taken.add(items);
        return afterKafka(new IntakeResult(items.size(), List.of()));
      };
  ImeiCheck imeiCheck =
      imei ->
          imei.equals(IMEI)
              ? ImeiCheck.Result.accepted(DEVICE)
              : ImeiCheck.Result.refused("unknown_device");
  EmbeddedChannel channel;

  CompletableFuture<IntakeResult> afterKafka(IntakeResult result) {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    kafkaAnswers.add(acknowledged);
    return acknowledged.thenApply(done -> result);
  }

  @AfterEach
  void release() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  EmbeddedChannel connect() {
    channel =
        new EmbeddedChannel(
            new IdleStateHandler(10, 0, 0, TimeUnit.MINUTES),
            new TeltonikaFrameDecoder(64 * 1024, metrics),
            new TeltonikaSessionHandler(
                imeiCheck, (d, i) -> intake.accept(d, i), packetsInFlight, metrics));
    return channel;
  }

  void send(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
  }

  /** Kafka acknowledges everything handed over, then the event loop writes what follows. */
  void kafkaAcknowledges() {
    while (!kafkaAnswers.isEmpty()) {
      kafkaAnswers.poll().complete(null);
      channel.runPendingTasks();
    }
  }

  byte[] nextWritten() {
    ByteBuf written = channel.readOutbound();
    if (written == null) {
      return null;
    }
    byte[] bytes = new byte[written.readableBytes()];
    written.readBytes(bytes);
    written.release();
    return bytes;
  }

  static byte[] ack(int count) {
    return new byte[] {
      (byte) (count >>> 24), (byte) (count >>> 16), (byte) (count >>> 8), (byte) count
    };
  }

  static byte[] packet(int records) {
    AvlFrames.Record[] r = new AvlFrames.Record[records];
    for (int i = 0; i < records; i++) {
      r[i] = AvlFrames.Record.at(T.plusSeconds(i), 52.52 + i / 1000.0, 13.405).io(1, 239, 1);
    }
    return AvlFrames.codec8e(r);
  }

  void handshake() {
    send(AvlFrames.imei(IMEI));
    assertThat(nextWritten()).containsExactly(0x01);
  }

  @Test
  void aRegisteredImeiIsAnswered01AndTheConnectionStaysOpen() {
    connect();

    handshake();

    assertThat(channel.isOpen()).isTrue();
    assertThat(
            meters.counter("fleetline.ingest.teltonika.handshakes", "result", "accepted").count())
        .isEqualTo(1);
  }

  @Test
  void anUnknownImeiIsAnswered00AndClosed() {
    connect();

    send(AvlFrames.imei("111111111111111"));

    assertThat(nextWritten()).containsExactly(0x00);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void whileTheRegistryIsLoadingEveryImeiIsAnswered00SoTheDeviceRetries() {
    imeiCheck = ImeiCheck.against(new DeviceRegistry());
    connect();

    send(AvlFrames.imei(IMEI));

    assertThat(nextWritten()).containsExactly(0x00);
    assertThat(channel.isOpen()).isFalse();
    assertThat(
            meters
                .counter("fleetline.ingest.teltonika.handshakes", "result", "registry_loading")
                .count())
        .isEqualTo(1);
  }

  @Test
  void aPacketIsHandedOverOnTheEventLoopAndAcknowledgedWithItsRecordCountOnlyOnceDurable() {
    connect();
    handshake();

    send(packet(2));

    assertThat(taken).as("handed over while the packet was read").hasSize(1);
    assertThat(kafkaAnswers).hasSize(1);
    assertThat(nextWritten()).as("nothing before durable").isNull();
    assertThat(channel.config().isAutoRead()).as("reading paused while in flight").isFalse();
    assertThat(packetsInFlight).hasValue(1);

    kafkaAcknowledges();

    assertThat(nextWritten()).containsExactly(ack(2));
    assertThat(channel.config().isAutoRead()).isTrue();
    assertThat(packetsInFlight).hasValue(0);
    assertThat(taken).hasSize(1);
    List<DecodedPing> items = taken.get(0);
    assertThat(items).extracting(DecodedPing::index).containsExactly(0, 1);
    assertThat(items.get(0).candidate().measurements().ignition()).isTrue();
    assertThat(items.get(1).candidate().recordedAt()).isEqualTo(T.plusSeconds(1));
    assertThat(items.get(0).original().get()).isNotEmpty();
  }

  @Test
  void anUndecodablePacketGoesToIntakeAsOneMalformedItemAndIsAcknowledgedWithItsDeclaredCount() {
    connect();
    handshake();
    byte[] frame = {0, 0, 0, 0, 1, 2, 3};

    channel.writeInbound(new UndecodableAvlPacket(frame, 3, "counts differ"));
    kafkaAcknowledges();

    assertThat(nextWritten()).containsExactly(ack(3));
    assertThat(channel.isOpen()).isTrue();
    assertThat(taken).hasSize(1);
    DecodedPing item = taken.get(0).get(0);
    assertThat(item.malformed().reason()).isEqualTo(Rejection.MALFORMED);
    assertThat(item.malformed().detail()).contains("counts differ");
    assertThat(item.original().get()).isEqualTo(frame);

    send(packet(1));
    kafkaAcknowledges();
    assertThat(nextWritten()).as("the device goes on with its next packet").containsExactly(ack(1));
  }

  @Test
  void rejectedRecordsAreDurableInTheRejectedTopicSoTheyCountAsHandled() {
    intake =
        (device, items) ->
            afterKafka(
                new IntakeResult(
                    1, List.of(new IntakeResult.ItemRejection(1, "null_island", "no fix"))));
    connect();
    handshake();

    send(packet(2));
    kafkaAcknowledges();

    assertThat(nextWritten()).containsExactly(ack(2));
  }

  @Test
  void whenKafkaCannotMakeThemDurableNothingIsAcknowledgedAndTheConnectionCloses() {
    intake =
        (device, items) ->
            CompletableFuture.failedFuture(
                new PingsNotDurableException("Kafka did not acknowledge", null));
    connect();
    handshake();

    send(packet(3));
    channel.runPendingTasks();

    assertThat(nextWritten()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(
            meters
                .counter("fleetline.ingest.teltonika.unacknowledged", "reason", "not_durable")
                .count())
        .isEqualTo(1);
  }

  @Test
  void twoPacketsInOneReadAreTakenInOneAtATimeAndAcknowledgedInOrder() {
    connect();
    handshake();

    send(AvlFrames.concat(packet(1), packet(3)));

    assertThat(taken).hasSize(1);
    kafkaAnswers.poll().complete(null);
    channel.runPendingTasks();
    assertThat(nextWritten()).containsExactly(ack(1));
    assertThat(channel.config().isAutoRead()).as("second packet still in flight").isFalse();
    assertThat(taken).hasSize(2);
    assertThat(kafkaAnswers).hasSize(1);

    kafkaAcknowledges();

    assertThat(nextWritten()).containsExactly(ack(3));
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void anIntakeThatFailsOutrightLeavesThePacketUnacknowledgedAndCloses() {
    intake =
        (device, items) -> {
          throw new IllegalStateException("broken");
        };
    connect();
    handshake();

    send(packet(1));
    channel.runPendingTasks();

    assertThat(nextWritten()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(packetsInFlight).as("given up, so shutdown does not wait for it").hasValue(0);
    assertThat(
            meters.counter("fleetline.ingest.teltonika.unacknowledged", "reason", "failed").count())
        .isEqualTo(1);
  }

  @Test
  void aStackOverflowInTheHandOverLeavesThePacketUnacknowledgedAndStopsCountingIt() {
    intake =
        (device, items) -> {
          throw new StackOverflowError();
        };
    connect();
    handshake();

    send(packet(1));
    channel.runPendingTasks();

    assertThat(nextWritten()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(packetsInFlight).as("given up, so shutdown does not wait for it").hasValue(0);
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout() {
    connect();
    handshake();

    channel.advanceTimeBy(9, TimeUnit.MINUTES);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    channel.advanceTimeBy(2, TimeUnit.MINUTES);
    channel.runScheduledPendingTasks();

    assertThat(channel.isOpen()).isFalse();
    assertThat(meters.counter("fleetline.ingest.teltonika.connections.idle_closed").count())
        .isEqualTo(1);
  }

  @Test
  void aCorruptPacketAfterTheHandshakeIsNeverTakenIn() {
    connect();
    handshake();

    send(AvlFrames.withBadCrc(packet(2)));

    assertThat(taken).isEmpty();
    assertThat(nextWritten()).isNull();
    assertThat(channel.isOpen()).isFalse();
  }
}
