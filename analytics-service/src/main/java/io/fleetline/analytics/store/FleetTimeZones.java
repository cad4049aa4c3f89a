package io.fleetline.analytics.store;

import io.fleetline.analytics.stream.FleetZones;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The fleets' time zones ({@code fleets.time_zone}), read all at once at the refresh interval and
 * one by one for a fleet not seen yet; UTC for a fleet that is not there or whose zone is unknown.
 * While the database does not answer for a fleet not seen yet its zone is not known ({@code null})
 * and nothing is remembered, so the next sample asks again.
 */
@Component
class FleetTimeZones implements FleetZones {

  private static final Logger log = LoggerFactory.getLogger(FleetTimeZones.class);

  private final JdbcClient jdbc;
  private final Map<UUID, ZoneId> zones = new ConcurrentHashMap<>();

  FleetTimeZones(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public ZoneId zoneOf(UUID fleetId) {
    return zones.computeIfAbsent(fleetId, this::load);
  }

  @Scheduled(fixedDelayString = "${fleetline.analytics.zone-refresh:1m}")
  void refresh() {
    try {
      jdbc.sql("SELECT id, time_zone FROM fleets")
          .query(
              (rs, row) -> {
                zones.put(rs.getObject(1, UUID.class), parse(rs.getString(2)));
                return null;
              })
          .list();
    } catch (RuntimeException e) {
      log.warn("Fleet time zones not refreshed, keeping the known ones: {}", e.toString());
    }
  }

  private ZoneId load(UUID fleetId) {
    try {
      return jdbc.sql("SELECT time_zone FROM fleets WHERE id = ?")
          .param(fleetId)
          .query(String.class)
          .optional()
          .map(FleetTimeZones::parse)
          .orElse(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      log.warn("Time zone of fleet {} not read, counting no day yet: {}", fleetId, e.toString());
      return null;
    }
  }

  private static ZoneId parse(String zone) {
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
