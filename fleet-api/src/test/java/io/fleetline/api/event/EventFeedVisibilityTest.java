package io.fleetline.api.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.FleetApiTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Event ids are drawn when a writer stores an event but become visible when it commits: a reader
 * paging by the last event it read must not pass an event whose writer commits late.
 */
class EventFeedVisibilityTest extends FleetApiTest {

  @Autowired DataSource dataSource;

  @Test
  void anEventStaysOutOfTheFeedWhileAnOlderWriterOfALowerIdIsStillOpen() throws Exception {
    String vehicle = createVehicle(fleetToken, "Raced");
    long start = lastFeedId();
    try (Connection slow = dataSource.getConnection();
        Connection fast = dataSource.getConnection()) {
      slow.setAutoCommit(false);
      fast.setAutoCommit(false);
      long lower = insertEvent(slow, vehicle, "trip_started");
      long higher = insertEvent(fast, vehicle, "trip_ended");
      assertThat(higher).isGreaterThan(lower);
      fast.commit();
      assertThat(
              jdbc.sql(
                      "SELECT count(*) FROM vehicle_events WHERE id = ? AND created_xid IS NOT NULL")
                  .param(higher)
                  .query(Long.class)
                  .single())
          .isEqualTo(1);

      // A reader that saw `higher` now would continue after it and never see `lower`.
      assertThat(feedIdsAfter(start)).doesNotContain(higher, lower);

      slow.commit();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(feedIdsAfter(start)).containsExactly(lower, higher));
    }
  }

  @Test
  void aReaderPagingByTheLastEventItReadMissesNoneStoredConcurrently() throws Exception {
    String vehicle = createVehicle(fleetToken, "Paged");
    long start = lastFeedId();
    List<Long> stored = new ArrayList<>();
    List<Long> read = new ArrayList<>();
    try (Connection slow = dataSource.getConnection();
        Connection fast = dataSource.getConnection()) {
      slow.setAutoCommit(false);
      fast.setAutoCommit(false);
      stored.add(insertEvent(slow, vehicle, "geofence_entered"));
      stored.add(insertEvent(fast, vehicle, "geofence_exited"));
      fast.commit();
      long cursor = readInto(read, start);
      slow.commit();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                readInto(read, read.isEmpty() ? cursor : read.get(read.size() - 1));
                assertThat(read).containsExactlyInAnyOrderElementsOf(stored);
              });
    }
  }

  private long readInto(List<Long> read, long after) throws Exception {
    List<Long> page = feedIdsAfter(after);
    read.addAll(page);
    return page.isEmpty() ? after : page.get(page.size() - 1);
  }

  private long insertEvent(Connection connection, String vehicle, String type) throws Exception {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at,"
                + " location, details) VALUES (?, ?::uuid, ?::uuid, ?, now(),"
                + " ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326), '{}') RETURNING id")) {
      insert.setString(1, uuid());
      insert.setString(2, fleetId);
      insert.setString(3, vehicle);
      insert.setString(4, type);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long lastFeedId() throws Exception {
    long last = 0;
    List<Long> page;
    while (!(page = feedIdsAfter(last)).isEmpty()) {
      last = page.get(page.size() - 1);
    }
    return last;
  }

  private List<Long> feedIdsAfter(long after) throws Exception {
    JsonNode items =
        api.get("/api/v1/events?limit=1000&after=" + after, fleetToken).json().get("items");
    List<Long> ids = new ArrayList<>();
    items.forEach(e -> ids.add(e.get("id").longValue()));
    return ids;
  }
}
