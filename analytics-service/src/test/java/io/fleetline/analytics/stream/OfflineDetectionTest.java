package io.fleetline.analytics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.VehicleEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OfflineDetectionTest {

  static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

  @Test
  void silentVehicleGoesOfflineByTheWallClockOnceAndOnlineAgainAtItsNextPing() {
    UUID vehicle = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(Track.of(vehicle, T0).samples(Duration.ofSeconds(10), 0).pings());
      driver.advance(Duration.ofMinutes(9).plusSeconds(50));
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE)).isEmpty();

      driver.advance(Duration.ofSeconds(20));
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.key()).isEqualTo("device_offline:" + vehicle + ":" + T0);
                assertThat(e.occurredAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
                assertThat(e.latitude()).isEqualTo(52.5);
                assertThat(e.details()).containsEntry("live", true);
              });
      driver.advance(Duration.ofMinutes(30));
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE)).hasSize(1);

      Instant back = T0.plus(Duration.ofMinutes(40)).plusSeconds(10);
      driver.send(Track.of(vehicle, back).samples(Duration.ofSeconds(10), 0).pings());
      assertThat(driver.events(VehicleEvent.DEVICE_ONLINE))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.key()).isEqualTo("device_online:" + vehicle + ":" + back);
                assertThat(e.details()).containsEntry("lastHeardAt", T0.toString());
              });
      assertThat(driver.statuses())
          .extracting(VehicleStatus::online)
          .containsExactly(true, false, true);
      assertThat(driver.statuses())
          .extracting(VehicleStatus::revision)
          .isSorted()
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void vehicleSilentForThirtyDaysIsForgottenAndItsStatusStillMovesOnWhenItReturns() {
    UUID vehicle = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(Track.of(vehicle, T0).samples(Duration.ofSeconds(10), 0).pings());
      driver.advance(Duration.ofMinutes(11));
      driver.advance(Duration.ofDays(30));
      Instant back = T0.plus(Duration.ofDays(30)).plus(Duration.ofMinutes(12));
      driver.send(Track.of(vehicle, back).samples(Duration.ofSeconds(10), 0).pings());

      // Forgotten: the next ping is a first one, with no device_online for the old silence.
      assertThat(driver.events(VehicleEvent.DEVICE_ONLINE)).isEmpty();
      List<VehicleStatus> statuses = driver.statuses();
      assertThat(statuses).extracting(VehicleStatus::online).containsExactly(true, false, true);
      assertThat(statuses).extracting(VehicleStatus::revision).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void restartedStreamGivesEveryVehicleAFullOfflinePeriodBeforeDeclaringItOffline() {
    UUID vehicle = UUID.randomUUID();
    Instant restart = T0.plus(Duration.ofHours(1));
    try (AnalyticsDriver driver = new AnalyticsDriver(restart)) {
      // State restored from the changelog: last heard an hour ago, before an outage whose pings
      // may still be waiting in Kafka.
      VehicleState restored = new VehicleState();
      restored.fleetId = Track.FLEET;
      restored.last =
          Sample.of(Track.of(vehicle, T0).samples(Duration.ofSeconds(1), 0).pings().get(0));
      restored.newestRecordedAt = T0;
      restored.lastHeardMs = T0.toEpochMilli();
      restored.onlineChangedAt = T0;
      driver.restore(vehicle, restored);

      driver.advance(Duration.ofSeconds(10)); // the task's first run
      driver.advance(Duration.ofMinutes(9));
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE)).isEmpty();
      driver.advance(Duration.ofMinutes(2));
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE))
          .singleElement()
          .satisfies(e -> assertThat(e.key()).isEqualTo("device_offline:" + vehicle + ":" + T0));
    }
  }

  @Test
  void vehicleThatKeepsPingingIsNeverOffline() {
    UUID vehicle = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      for (int minute = 0; minute < 60; minute += 5) {
        driver.send(
            Track.of(vehicle, T0.plus(Duration.ofMinutes(minute)))
                .samples(Duration.ofSeconds(1), 0)
                .pings());
        driver.advance(Duration.ofMinutes(5));
      }
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE)).isEmpty();
    }
  }

  @Test
  void idlingVehicleThatGoesSilentEndsItsIdlingWhenDeclaredOffline() {
    UUID vehicle = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.send(
          Track.of(vehicle, T0).samples(Duration.ofSeconds(30), new double[14]).pings()); // 6.5 min
      driver.advance(Duration.ofMinutes(11));
      assertThat(driver.events())
          .extracting(DetectedEvent::type)
          .containsExactly(
              VehicleEvent.IDLING_STARTED, VehicleEvent.IDLING_ENDED, VehicleEvent.DEVICE_OFFLINE);
      assertThat(driver.events(VehicleEvent.IDLING_ENDED).get(0).occurredAt())
          .isEqualTo(T0.plus(Duration.ofSeconds(390)));
    }
  }

  @Test
  void undecodablePingIsCountedAndSkipped() {
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      driver.sendRaw("x", "{broken".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      driver.sendRaw("y", "{\"v\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      driver.advance(Duration.ofMinutes(20));
      assertThat(driver.findings()).isEmpty();
      assertThat(driver.ignored("undecodable")).isEqualTo(2);
    }
  }

  @Test
  void vehiclesWhosePingsWaitInABacklogAreNotDeclaredOfflineUntilItIsWorkedOff() {
    UUID caughtUp = UUID.randomUUID();
    UUID waiting = UUID.randomUUID();
    UUID silent = UUID.randomUUID();
    try (AnalyticsDriver driver = new AnalyticsDriver(T0)) {
      for (UUID vehicle : List.of(caughtUp, waiting, silent)) {
        driver.send(Track.of(vehicle, T0).samples(Duration.ofSeconds(10), 0).pings());
      }
      // The stream stands still for nine minutes while ingest goes on receiving; then it works
      // off what piled up, one vehicle at a time.
      driver.advance(Duration.ofMinutes(9));
      driver.send(backlog(caughtUp, T0.plusSeconds(60)));
      driver.advance(Duration.ofMinutes(2));
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE)).isEmpty();

      driver.send(backlog(waiting, T0.plusSeconds(60)));
      driver.advance(Duration.ofSeconds(10));
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE)).isEmpty();

      // Caught up: what arrives now is fresh, and the vehicle heard of nowhere is offline.
      Instant fresh = T0.plus(Duration.ofMinutes(11)).plusSeconds(10);
      driver.send(backlog(caughtUp, fresh));
      driver.send(backlog(waiting, fresh));
      driver.advance(Duration.ofSeconds(10));
      assertThat(driver.events(VehicleEvent.DEVICE_OFFLINE))
          .extracting(DetectedEvent::vehicleId)
          .containsExactly(silent);
    }
  }

  /** Pings every minute from {@code from}, each received by ingest when it was recorded. */
  private static List<io.fleetline.common.VehiclePing> backlog(UUID vehicle, Instant from) {
    return Track.of(vehicle, from).samples(Duration.ofMinutes(1), 0, 0, 0).pings();
  }
}
