package io.fleetline.routing.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import io.fleetline.db.testing.EventOutbox;
import io.fleetline.routing.RoutingProperties;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The outbox sweep on the real PostGIS and a real broker. */
class EventSweepIntegrationTest {

  @AutoClose static final EventOutbox outbox = new EventOutbox("fleetline.events.sweep-test");

  final EventPublisher publisher =
      new EventPublisher(
          outbox.kafka(),
          outbox.dataSource(),
          new RoutingProperties(
              Topics.PINGS, Topics.PINGS + ".dlt", "routing", 1, outbox.topic(), 1));
  final JdbcClient jdbc = JdbcClient.create(outbox.dataSource());
  final UUID fleet = UUID.randomUUID();
  final UUID vehicle = UUID.randomUUID();

  @Test
  void sweepRepublishesRoutingsOwnEventsAndLeavesAnalyticsEventsToAnalytics() throws Exception {
    long trip = unpublished(VehicleEvent.TRIP_STARTED);
    long harsh = unpublished(VehicleEvent.HARSH_BRAKING);

    publisher.sweep();

    assertThat(outbox.published(trip)).isTrue();
    assertThat(outbox.published(harsh)).isFalse();
    assertThat(outbox.typesSentFor(vehicle)).containsExactly(VehicleEvent.TRIP_STARTED);
  }

  @Test
  void eventClaimedByAnotherInstancesSweepIsSkippedNotSentTwice() throws Exception {
    long trip = unpublished(VehicleEvent.TRIP_ENDED);

    outbox.sweepWhileClaimedElsewhere(trip, publisher::sweep);
    assertThat(outbox.published(trip)).isFalse();

    publisher.sweep();
    assertThat(outbox.published(trip)).isTrue();
    assertThat(outbox.typesSentFor(vehicle)).containsExactly(VehicleEvent.TRIP_ENDED);
  }

  @Test
  void aRetractionGoesOnTheTopicAfterTheEventItRetracts() throws Exception {
    String key = VehicleEvent.TRIP_STARTED + ":" + vehicle + ":" + UUID.randomUUID();
    long trip = unpublished(VehicleEvent.TRIP_STARTED, key);
    publisher.sweep();
    assertThat(outbox.published(trip)).isTrue();

    List<VehicleEvent> retractions = retract(key);
    publisher.publish(retractions);

    assertThat(retractions)
        .singleElement()
        .satisfies(r -> assertThat(outbox.published(r.id())).isTrue());
    assertThat(((Number) retractions.get(0).details().get("retractedId")).longValue())
        .isEqualTo(trip);
    assertThat(retractions.get(0).details())
        .containsEntry("retractedType", VehicleEvent.TRIP_STARTED);
    assertThat(outbox.typesSentFor(vehicle))
        .containsExactly(VehicleEvent.TRIP_STARTED, VehicleEvent.EVENT_RETRACTED);
  }

  @Test
  void aRetractionOfAnEventNotYetPublishedWaitsForItAndFollowsIt() throws Exception {
    UUID vehicle = UUID.randomUUID();
    String key = VehicleEvent.OVERSPEED + ":" + vehicle + ":" + UUID.randomUUID();
    long overspeed = outbox.unpublished(fleet, vehicle, VehicleEvent.OVERSPEED, key);
    List<VehicleEvent> retractions = retract(key);
    long retraction = retractions.get(0).id();
    jdbc.sql("UPDATE vehicle_events SET created_at = now() - interval '1 minute' WHERE id = ?")
        .param(retraction)
        .update();

    publisher.publish(retractions);
    assertThat(outbox.published(retraction)).as("sent before its event").isFalse();
    publisher.sweep();
    assertThat(outbox.published(overspeed)).isTrue();
    assertThat(outbox.published(retraction)).as("swept with its event").isFalse();
    publisher.sweep();
    assertThat(outbox.published(retraction)).isTrue();

    assertThat(outbox.typesSentFor(vehicle))
        .containsExactly(VehicleEvent.OVERSPEED, VehicleEvent.EVENT_RETRACTED);
  }

  @Test
  void theSweepLeavesRetractionsOfAnotherServicesEventsToThatService() {
    long harsh = unpublished(VehicleEvent.HARSH_BRAKING);
    long retraction =
        jdbc.sql(
                """
                INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at,
                                            details, created_at)
                VALUES (:key, :fleet, :vehicle, 'event_retracted', now(),
                        jsonb_build_object('retractedId', :harsh, 'retractedType', 'harsh_braking'),
                        now() - interval '1 minute')
                RETURNING id\
                """)
            .param("key", "event_retracted:" + harsh)
            .param("fleet", fleet)
            .param("vehicle", vehicle)
            .param("harsh", harsh)
            .query(Long.class)
            .single();
    jdbc.sql("UPDATE vehicle_events SET published_at = now() WHERE id = ?").param(harsh).update();

    publisher.sweep();

    assertThat(outbox.published(retraction)).isFalse();
  }

  private List<VehicleEvent> retract(String key) throws Exception {
    try (Connection c = outbox.dataSource().getConnection()) {
      return new EventStore(EventSettings.defaults()).retract(c, List.of(key));
    }
  }

  private long unpublished(String type) {
    return unpublished(type, type + ":" + vehicle + ":" + UUID.randomUUID());
  }

  private long unpublished(String type, String key) {
    return outbox.unpublished(fleet, vehicle, type, key);
  }
}
