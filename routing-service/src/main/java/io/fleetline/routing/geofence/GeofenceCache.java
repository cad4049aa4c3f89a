package io.fleetline.routing.geofence;

import io.fleetline.common.FleetlineJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Every fleet's geofences in memory, reloaded when the table changes: a cheap {@code count(*),
 * max(updated_at)} poll decides, so edits through fleet-api take effect within the poll interval.
 */
@Component
public class GeofenceCache implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(GeofenceCache.class);

  private final JdbcClient jdbc;
  private volatile Map<UUID, List<Geofence>> byFleet = Map.of();
  private volatile String version = "";

  public GeofenceCache(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Loads once before the ping listener starts, so the first batches see the geofences too. */
  @Override
  public void afterPropertiesSet() {
    refresh();
  }

  /** The fleet's geofences, as of the last refresh. */
  public List<Geofence> forFleet(UUID fleetId) {
    return byFleet.getOrDefault(fleetId, List.of());
  }

  /** Reloads when geofences were added, changed or deleted since the last look. */
  @Scheduled(
      fixedDelayString = "${fleetline.routing.geofence-refresh:5s}",
      initialDelayString = "0s")
  public void refresh() {
    try {
      String current =
          jdbc.sql("SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM geofences")
              .query(String.class)
              .single();
      if (Objects.equals(current, version)) {
        return;
      }
      Map<UUID, List<Geofence>> loaded = new HashMap<>();
      for (Geofence g : load()) {
        loaded.computeIfAbsent(g.fleetId(), f -> new ArrayList<>()).add(g);
      }
      byFleet = loaded;
      version = current;
      log.info("Geofences loaded: {} fleets", loaded.size());
    } catch (RuntimeException e) {
      // The database may be away; the previous geofences stay in use until it is back.
      log.debug("Geofence refresh failed: {}", e.getMessage());
    }
  }

  private List<Geofence> load() {
    return jdbc.sql(
            """
            SELECT id, fleet_id, name, ST_AsGeoJSON(area) AS area, ST_Y(center) AS lat,
                   ST_X(center) AS lon, radius_m, speed_limit_kmh::float8 AS speed_limit_kmh, dwell_s
            FROM geofences ORDER BY id""")
        .query(
            (rs, i) -> {
              Double radius = rs.getObject("radius_m", Double.class);
              return new Geofence(
                  rs.getObject("id", UUID.class),
                  rs.getObject("fleet_id", UUID.class),
                  rs.getString("name"),
                  radius == null ? rings(rs.getString("area")) : List.of(),
                  rs.getObject("lat", Double.class),
                  rs.getObject("lon", Double.class),
                  radius,
                  rs.getObject("speed_limit_kmh", Double.class),
                  rs.getInt("dwell_s"));
            })
        .list();
  }

  private static List<double[][]> rings(String geoJson) {
    JsonNode coordinates = FleetlineJson.mapper().readTree(geoJson).get("coordinates");
    List<double[][]> rings = new ArrayList<>();
    for (JsonNode ring : coordinates) {
      double[][] points = new double[ring.size()][];
      for (int i = 0; i < ring.size(); i++) {
        points[i] = new double[] {ring.get(i).get(0).asDouble(), ring.get(i).get(1).asDouble()};
      }
      rings.add(points);
    }
    return rings;
  }
}
