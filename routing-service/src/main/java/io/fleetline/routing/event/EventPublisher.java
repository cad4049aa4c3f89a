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
import java.util.List;
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
 * (other services publish theirs) and claims the rows it sends, so that instances sweeping at the
 * same time skip each other's rows instead of sending them twice.
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
          VehicleEvent.FUEL_DROP);

  private static final String UNPUBLISHED =
      """
      SELECT id, type, vehicle_id, fleet_id, occurred_at, ST_Y(location), ST_X(location),
             details::text
      FROM vehicle_events
      WHERE published_at IS NULL AND created_at < now() - interval '30 seconds'
        AND type = ANY (?)
      ORDER BY id LIMIT 1000
      FOR UPDATE SKIP LOCKED""";

  private final KafkaTemplate<String, byte[]> kafka;
  private final DataSource dataSource;
  private final String topic;

  EventPublisher(
      KafkaTemplate<String, byte[]> kafka, DataSource dataSource, RoutingProperties properties) {
    this.kafka = kafka;
    this.dataSource = dataSource;
    this.topic = properties.eventsTopic();
  }

  /** Sends the events and marks them published once Kafka has them; failures are left to sweep. */
  public void publish(List<VehicleEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    try {
      send(events);
      try (Connection c = dataSource.getConnection()) {
        markPublished(c, events);
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

  private List<VehicleEvent> claim(Connection c) throws SQLException {
    List<VehicleEvent> pending = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(UNPUBLISHED)) {
      s.setArray(1, c.createArrayOf("text", OWN_TYPES.toArray()));
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
