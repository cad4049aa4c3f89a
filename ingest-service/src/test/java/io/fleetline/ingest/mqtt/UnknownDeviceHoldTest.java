package io.fleetline.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.registry.LoadedRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;

class UnknownDeviceHoldTest {

  static final Duration HOLD = Duration.ofSeconds(10);

  final DeviceRegistry registry = LoadedRegistry.of();
  final List<String> released = new ArrayList<>();
  long nowNanos;
  long lostConnectionsBefore;

  final UnknownDeviceHold hold = hold(registry, 100);

  UnknownDeviceHold hold(DeviceRegistry registry, int maxHeld) {
    return new UnknownDeviceHold(
        registry,
        HOLD,
        maxHeld,
        arrival -> arrival.connection() < lostConnectionsBefore,
        arrival -> released.add(new String(arrival.message().getPayload(), StandardCharsets.UTF_8)),
        () -> nowNanos);
  }

  static MqttArrival arrival(String identifier, String payload) {
    return arrival(identifier, payload, 1);
  }

  static MqttArrival arrival(String identifier, String payload, long connection) {
    return new MqttArrival(
        identifier, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8)), connection);
  }

  void register(String identifier) {
    register(DeviceProtocol.MQTT, identifier);
  }

  void register(DeviceProtocol protocol, String identifier) {
    DeviceRegistration device =
        new DeviceRegistration(
            1,
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            protocol,
            identifier,
            null,
            true);
    LoadedRegistry.apply(registry, device.key(), device);
  }

  void advance(Duration duration) {
    nowNanos += duration.toNanos();
  }

  @Test
  void aMessageOfADeviceTheRegistryDoesNotKnowYetIsHeldUntilItIsRegistered() {
    assertThat(hold.offer(arrival("late", "m1"))).isTrue();
    advance(Duration.ofSeconds(2));
    hold.recheck();
    assertThat(released).isEmpty();

    register("late");
    hold.recheck();

    assertThat(released).containsExactly("m1");
    assertThat(hold.held()).isZero();
  }

  @Test
  void aNewGatewaysMessageIsHeldUntilTheRegistryKnowsTheGatewayNotADeviceOfItsName() {
    MqttArrival first = new MqttArrival("gw-1", new MqttMessage("g1".getBytes()), 1, true);
    assertThat(hold.offer(first)).as("not yet known: held, not rejected").isTrue();

    register(DeviceProtocol.MQTT, "gw-1");
    hold.recheck();
    assertThat(released).as("a device of the same name is not the gateway").isEmpty();

    register(DeviceProtocol.GATEWAY, "gw-1");
    hold.recheck();
    assertThat(released).containsExactly("g1");
    assertThat(hold.offer(new MqttArrival("gw-1", new MqttMessage(), 1, true))).isFalse();
  }

  @Test
  void laterMessagesOfAHeldDeviceQueueBehindItEvenOnceTheRegistryKnowsIt() {
    hold.offer(arrival("late", "m1"));
    register("late");

    assertThat(hold.offer(arrival("late", "m2"))).as("m2 may not overtake m1").isTrue();
    hold.recheck();

    assertThat(released).containsExactly("m1", "m2");
    assertThat(hold.offer(arrival("late", "m3"))).as("nothing held any more").isFalse();
  }

  @Test
  void eachHeldMessageIsReleasedForJudgingWhenItsOwnHoldEnds() {
    hold.offer(arrival("never", "m1"));
    advance(Duration.ofSeconds(3));
    hold.offer(arrival("never", "m2"));

    advance(HOLD.minusSeconds(3).minusNanos(1));
    hold.recheck();
    assertThat(released).isEmpty();
    advance(Duration.ofNanos(1));
    hold.recheck();
    assertThat(released).containsExactly("m1");
    advance(Duration.ofSeconds(3));
    hold.recheck();
    assertThat(released).containsExactly("m1", "m2");
  }

  @Test
  void aKnownDeviceAMessageNamingNoDeviceAndAnyMessageWhileTheRegistryLoadsAreNotHeld() {
    register("known");
    UnknownDeviceHold loading = hold(new DeviceRegistry(), 100);

    assertThat(hold.offer(arrival("known", "m1"))).isFalse();
    assertThat(hold.offer(arrival(null, "m2"))).isFalse();
    assertThat(loading.offer(arrival("late", "m3"))).isFalse();
  }

  @Test
  void aZeroHoldHoldsNothing() {
    UnknownDeviceHold none =
        new UnknownDeviceHold(
            registry, Duration.ZERO, 100, arrival -> false, arrival -> {}, () -> nowNanos);

    assertThat(none.offer(arrival("late", "m1"))).isFalse();
  }

  @Test
  void aFloodOfUnknownIdentifiersMakesTheDeviceHeldLongestGiveUpItsOldestMessages() {
    UnknownDeviceHold bounded = hold(registry, 2);
    bounded.offer(arrival("a", "a1"));
    bounded.offer(arrival("b", "b1"));
    bounded.offer(arrival("a", "a2"));
    bounded.offer(arrival("c", "c1"));

    assertThat(bounded.overCapacity()).isTrue();
    bounded.recheck();

    assertThat(released).containsExactly("a1", "a2");
    assertThat(bounded.held()).isEqualTo(2);
    assertThat(bounded.overCapacity()).isFalse();
  }

  @Test
  void messagesOfALostConnectionAreLetGoAndTheNewConnectionsStayHeld() {
    hold.offer(arrival("late", "old", 1));
    hold.offer(arrival("late", "new", 2));
    lostConnectionsBefore = 2;

    hold.recheck();

    assertThat(released).containsExactly("old");
    assertThat(hold.held()).isEqualTo(1);
  }

  @Test
  void stoppingForgetsEveryHeldMessageAndCountsThem() throws Exception {
    hold.offer(arrival("a", "a1"));
    hold.offer(arrival("b", "b1"));

    assertThat(hold.stop()).isEqualTo(2);
    hold.recheck();
    assertThat(released).isEmpty();
    assertThat(hold.held()).isZero();
  }

  @Test
  void anErrorWhileReleasingDoesNotEndTheTimersReChecks() throws Exception {
    List<String> judged = new CopyOnWriteArrayList<>();
    UnknownDeviceHold failingOnce =
        new UnknownDeviceHold(
            registry,
            HOLD,
            100,
            arrival -> false,
            arrival -> {
              String payload = new String(arrival.message().getPayload(), StandardCharsets.UTF_8);
              if (payload.equals("overflows")) {
                throw new StackOverflowError();
              }
              judged.add(payload);
            },
            () -> nowNanos);
    failingOnce.start();
    try {
      failingOnce.offer(arrival("a", "overflows"));
      register("a");
      await("the failing release tried")
          .atMost(Duration.ofSeconds(10))
          .until(() -> failingOnce.held() == 0);

      failingOnce.offer(arrival("b", "b1"));
      register("b");

      await("released by the timer alone")
          .atMost(Duration.ofSeconds(10))
          .until(() -> judged.contains("b1"));
    } finally {
      failingOnce.stop();
    }
  }
}
