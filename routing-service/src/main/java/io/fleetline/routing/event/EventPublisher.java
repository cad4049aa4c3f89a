package io.fleetline.routing.event;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Topics;
import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.RoutingProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes stored events to the events topic ({@link Topics#EVENTS} unless configured, key =
 * vehicle id) after their transaction has committed, then marks them published. Events whose
 * publication was interrupted (a crash, Kafka away) stay unmarked and are republished by the sweep:
 * at least once, consumers de-duplicate by id. The sweep takes only the types routing detects
 * (other services publish theirs), retractions only of those types, and claims the rows it sends,
 * so that instances sweeping at the same time skip each other's rows instead of sending them twice.
 *
 * <p>A retraction is sent only once the event it retracts has been published (Kafka acknowledged
 * it), so on the topic it always comes after that event: one whose event is not published yet is
 * left to a later sweep, which sends it after the event.
 */
@Component
public class EventPublisher {

  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

  /** The event types routing stores and therefore publishes. */
  static final List<String> OWN_TYPES =
      List.of(
          VehicleEvent.TRIP_STARTED,
          VehicleEvent.TRIP_ENDED,
          VehicleEvent.GEOFENCE_ENTERED,
          VehicleEvent.GEOFENCE_EXITED,
          VehicleEvent.OVERSPEED,
          VehicleEvent.BATTERY_LOW,
          VehicleEvent.POWER_CUT,
          VehicleEvent.FAULT_CODE,
          VehicleEvent.FUEL_DROP,
          VehicleEvent.EVENT_RETRACTED);

  private static final String UNPUBLISHED =
      """
      SELECT id, type, vehicle_id, fleet_id, occurred_at, ST_Y(location), ST_X(location),
             details::text
      FROM vehicle_events e
      WHERE published_at IS NULL AND created_at < now() - interval '30 seconds'
        AND type = ANY (?)
        AND (type <> 'event_retracted'
             OR details->>'retractedType' = ANY (?)
                AND NOT EXISTS (SELECT 1 FROM vehicle_events r
                                WHERE r.id = (e.details->>'retractedId')::bigint
                                  AND r.published_at IS NULL))
      ORDER BY id LIMIT 1000
      FOR UPDATE SKIP LOCKED""";

  /** Of the given events, those published. */
  private static final String PUBLISHED =
      "SELECT id FROM vehicle_events WHERE id = ANY (?) AND published_at IS NOT NULL";

  private final KafkaTemplate<String, byte[]> kafka;
  private final DataSource dataSource;
  private final String topic;

  EventPublisher(
      KafkaTemplate<String, byte[]> kafka, DataSource dataSource, RoutingProperties properties) {
    this.kafka = kafka;
    this.dataSource = dataSource;
    this.topic = properties.eventsTopic();
  }

  /**
   * Sends the events and marks them published once Kafka has them; failures are left to sweep. The
   * retractions among them go after the other events, and only those whose retracted event is
   * published by then.
   */
  public void publish(List<VehicleEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<VehicleEvent> raised = new ArrayList<>();
    List<VehicleEvent> retractions = new ArrayList<>();
    for (VehicleEvent e : events) {
      (VehicleEvent.EVENT_RETRACTED.equals(e.type()) ? retractions : raised).add(e);
    }
    try {
      sendAndMark(raised);
      if (!retractions.isEmpty()) {
        List<VehicleEvent> ready;
        try (Connection c = dataSource.getConnection()) {
          ready = afterTheirEvents(c, retractions);
        }
        sendAndMark(ready);
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("Publishing {} events failed, the sweep retries: {}", events.size(), e.toString());
    }
  }

  /**
   * Republishes events that were stored but never marked published, holding their rows until they
   * are marked.
   */
  @Scheduled(fixedDelayString = "${fleetline.routing.event-sweep:10s}")
  public void sweep() {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<VehicleEvent> pending = claim(c);
        if (!pending.isEmpty()) {
          send(pending);
          markPublished(c, pending);
        }
        c.commit();
      } catch (Exception e) {
        c.rollback();
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        log.warn("Event sweep failed, the next one retries: {}", e.toString());
      }
    } catch (SQLException e) {
      log.debug("Event sweep skipped: {}", e.getMessage());
    }
  }

  /** Sends the events, then marks them published; no connection is held while Kafka answers. */
  private void sendAndMark(List<VehicleEvent> events) throws Exception {
    if (events.isEmpty()) {
      return;
    }
    send(events);
    try (Connection c = dataSource.getConnection()) {
      markPublished(c, events);
    }
  }

  /** The retractions whose retracted events are published. */
  private static List<VehicleEvent> afterTheirEvents(Connection c, List<VehicleEvent> retractions)
      throws SQLException {
    if (retractions.isEmpty()) {
      return List.of();
    }
    Set<Long> published = new HashSet<>();
    try (PreparedStatement s = c.prepareStatement(PUBLISHED)) {
      Long[] ids =
          retractions.stream()
              .map(EventPublisher::retractedId)
              .filter(Objects::nonNull)
              .toArray(Long[]::new);
      s.setArray(1, c.createArrayOf("int8", ids));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          published.add(rs.getLong(1));
        }
      }
    }
    return retractions.stream().filter(r -> published.contains(retractedId(r))).toList();
  }

  private static Long retractedId(VehicleEvent retraction) {
    return retraction.details().get("retractedId") instanceof Number n ? n.longValue() : null;
  }

  private List<VehicleEvent> claim(Connection c) throws SQLException {
    List<VehicleEvent> pending = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(UNPUBLISHED)) {
      s.setArray(1, c.createArrayOf("text", OWN_TYPES.toArray()));
      s.setArray(2, c.createArrayOf("text", EventDetector.TYPES.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          pending.add(EventStore.read(rs));
        }
      }
    }
    return pending;
  }

  private void send(List<VehicleEvent> events) throws Exception {
    List<CompletableFuture<?>> sent = new ArrayList<>(events.size());
    for (VehicleEvent e : events) {
      sent.add(kafka.send(topic, e.vehicleId().toString(), FleetlineJson.write(e)));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
  }

  private static void markPublished(Connection c, List<VehicleEvent> events) throws SQLException {
    Long[] ids = events.stream().map(VehicleEvent::id).toArray(Long[]::new);
    try (PreparedStatement s =
        c.prepareStatement("UPDATE vehicle_events SET published_at = now() WHERE id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("int8", ids));
      s.executeUpdate();
    }
  }
}
