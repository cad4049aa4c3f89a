package io.fleetline.api.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A radius query narrows by boxes on the geometry index and then tests the geodesic distance: it
 * must find exactly the vehicles the exact filter alone finds, also near the poles and across the
 * antimeridian, where a box that is too small would lose vehicles near the circle's edge.
 */
class PositionRadiusTest extends FleetApiTest {

  /** Centres and radii: high latitudes, circles around a pole, across ±180°, tiny and large. */
  static final double[][] FIXED_CIRCLES = {
    {52.52, 13.405, 2_000},
    {0, 0, 50_000},
    {78.2, 15.6, 300_000},
    {85, 40, 500_000},
    {89.5, -120, 100_000},
    {-88, 10, 400_000},
    {-75, -60, 500_000},
    {-17.7, 179.9, 200_000},
    {65.5, -179.5, 300_000},
    {71, 179.99, 500_000},
    {0, 180, 1_000},
    {0, -180, 50_000},
    {-45, -179.999, 25},
  };

  final Random random = new Random(20261126);
  final List<double[]> circles = new ArrayList<>();

  @BeforeAll
  void vehiclesAroundTheEdgesOfEveryCircle() {
    circles.addAll(List.of(FIXED_CIRCLES));
    for (int i = 0; i < 20; i++) {
      circles.add(
          new double[] {
            random.nextDouble(-89.9, 89.9),
            random.nextDouble(-180, 180),
            Math.pow(10, random.nextDouble(0, Math.log10(AreaQuery.MAX_RADIUS_M)))
          });
    }
    for (double[] c : circles) {
      // Most at 90-110 % of the radius in every direction, some well inside.
      for (int i = 0; i < 60; i++) {
        double fraction = i < 50 ? random.nextDouble(0.9, 1.1) : random.nextDouble(0, 0.9);
        insertProjected(c[0], c[1], c[2] * fraction, random.nextDouble(0, 2 * Math.PI));
      }
    }
    jdbc.sql("ANALYZE latest_positions").update();
  }

  @Test
  void aRadiusFindsExactlyWhatTheGeodesicDistanceAloneFinds() throws Exception {
    for (double[] c : circles) {
      String near = String.format(Locale.ROOT, "near=%s,%s&radiusM=%s", c[0], c[1], c[2]);
      ApiClient.Response response =
          api.get("/api/v1/positions?" + near + "&limit=1000", readOnlyToken);

      assertThat(response.status()).as(near + ": " + response.body()).isEqualTo(200);
      assertThat(response.json().get("nextCursor").isNull()).isTrue();
      List<String> expected = exactlyWithin(c[0], c[1], c[2]);
      assertThat(ids(response.json())).as(near).isEqualTo(expected);
      // Each circle holds at least its ten vehicles well inside.
      assertThat(expected).as(near).hasSizeGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void aRadiusQueryUsesTheGeometryIndex() throws Exception {
    String crowd = createFleet("Crowd");
    jdbc.sql(
            "INSERT INTO vehicles (id, fleet_id, name) SELECT gen_random_uuid(), ?::uuid,"
                + " 'Crowd ' || i FROM generate_series(1, 20000) AS i")
        .param(crowd)
        .update();
    jdbc.sql(
            "INSERT INTO latest_positions (vehicle_id, fleet_id, recorded_at, received_at,"
                + " stored_at, location, protocol) SELECT id, fleet_id, now(), now(), now(),"
                + " ST_SetSRID(ST_MakePoint(-180 + random() * 360, -60 + random() * 120), 4326),"
                + " 'http' FROM vehicles WHERE fleet_id = ?::uuid")
        .param(crowd)
        .update();
    jdbc.sql("ANALYZE latest_positions").update();

    assertThat(plan(crowd, new AreaQuery.Circle(52.52, 13.405, 2_000)))
        .contains("latest_positions_location_idx");
    // Across the antimeridian: two boxes, both on the index.
    assertThat(plan(crowd, new AreaQuery.Circle(-17.7, 179.99, 20_000)))
        .contains("latest_positions_location_idx")
        .contains(" OR ");
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM pg_indexes WHERE tablename = 'latest_positions'"
                        + " AND indexdef LIKE '%geography%'")
                .query(Long.class)
                .single())
        .isZero();
  }

  private String plan(String fleet, AreaQuery.Circle circle) {
    Map<String, Object> params = new HashMap<>();
    String where = PositionController.condition(circle, params);
    params.put("fleet", UUID.fromString(fleet));
    List<String> lines =
        jdbc.sql(
                "EXPLAIN SELECT p.vehicle_id FROM latest_positions p WHERE p.fleet_id = :fleet AND "
                    + where
                    + " ORDER BY p.vehicle_id LIMIT 101")
            .params(params)
            .query(String.class)
            .list();
    return String.join("\n", lines);
  }

  private void insertProjected(double lat, double lon, double distanceM, double azimuthRad) {
    jdbc.sql(
            "WITH v AS (INSERT INTO vehicles (id, fleet_id, name) VALUES (gen_random_uuid(),"
                + " ?::uuid, 'Edge') RETURNING id, fleet_id)"
                + " INSERT INTO latest_positions (vehicle_id, fleet_id, recorded_at, received_at,"
                + " stored_at, location, protocol) SELECT id, fleet_id, now(), now(), now(),"
                + " ST_Project(ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?, ?)::geometry,"
                + " 'http' FROM v")
        .params(fleetId, lon, lat, distanceM, azimuthRad)
        .update();
  }

  private List<String> exactlyWithin(double lat, double lon, double radiusM) {
    return jdbc.sql(
            "SELECT vehicle_id::text FROM latest_positions WHERE fleet_id = ?::uuid AND"
                + " ST_DWithin(location::geography, ST_SetSRID(ST_MakePoint(?, ?),"
                + " 4326)::geography, ?) ORDER BY vehicle_id")
        .params(fleetId, lon, lat, radiusM)
        .query(String.class)
        .list();
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("items").forEach(p -> ids.add(p.get("vehicleId").stringValue()));
    return ids;
  }
}
