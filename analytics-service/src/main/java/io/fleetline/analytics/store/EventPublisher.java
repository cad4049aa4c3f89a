package io.fleetline.analytics.store;

import io.fleetline.analytics.AnalyticsProperties;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
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
 * Publishes stored analytics events to the events topic (key = vehicle id) after their transaction
 * has committed and marks them published, as routing does with its own: events whose publication
 * was interrupted stay unmarked and the sweep sends them again. At least once; consumers
 * de-duplicate by id. The sweep takes only the types analytics detects and claims the rows it
 * sends, so that instances sweeping at the same time skip each other's rows instead of sending them
 * twice.
 */
@Component
class EventPublisher {

  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

  private static final String UNPUBLISHED =
      """
      SELECT id, type, vehicle_id, fleet_id, occurred_at, ST_Y(location), ST_X(location),
             details::text
      FROM vehicle_events
      WHERE published_at IS NULL AND created_at < now() - interval '30 seconds'
        AND type IN ('device_offline', 'device_online', 'idling_started', 'idling_ended',
                     'harsh_braking', 'harsh_acceleration', 'harsh_cornering')
      ORDER BY id LIMIT 1000
      FOR UPDATE SKIP LOCKED""";

  private final KafkaTemplate<String, byte[]> kafka;
  private final DataSource dataSource;
  private final String topic;

  EventPublisher(
      KafkaTemplate<String, byte[]> kafka, DataSource dataSource, AnalyticsProperties properties) {
    this.kafka = kafka;
    this.dataSource = dataSource;
    this.topic = properties.eventsTopic();
  }

  void publish(List<VehicleEvent> events) {
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

  /** Sends the events stored but never marked published, holding their rows until marked. */
  @Scheduled(fixedDelayString = "${fleetline.analytics.event-sweep:10s}")
  void sweep() {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<VehicleEvent> pending = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(UNPUBLISHED);
            ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            pending.add(FindingStore.read(rs));
          }
        }
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
