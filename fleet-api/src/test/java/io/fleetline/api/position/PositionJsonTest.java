package io.fleetline.api.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.geojson.GeoJson;
import io.fleetline.api.paging.Cursors;
import io.fleetline.api.paging.Page;
import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pages of positions are written straight from the rows; what a client receives is byte for byte
 * what the API's JSON mapper makes of the same positions as {@code Page<PositionView>} — nulls,
 * floats, attributes, millisecond times and the cursor included.
 */
class PositionJsonTest extends FleetApiTest {

  @Autowired JsonMapper mapper;
  String vehicle;

  @BeforeAll
  void history() throws Exception {
    vehicle = createVehicle(fleetToken, "Everything set");
    jdbc.sql("SELECT fleetline_ensure_positions_partition(DATE '2026-11-21')").query().listOfRows();
    jdbc.sql(
            "INSERT INTO positions (vehicle_id, recorded_at, fleet_id, received_at, stored_at,"
                + " location, speed_kmh, heading_deg, altitude_m, accuracy_m, ignition,"
                + " attributes, protocol) VALUES"
                + " (?::uuid, '2026-11-21T10:00:00.123456Z', ?::uuid, '2026-11-21T10:00:01.5Z',"
                + " now(), ST_SetSRID(ST_MakePoint(13.123456789, 52.987654321), 4326), 42.5, 0.1,"
                + " 34, 5.25, true, '{\"battery\": 87.5, \"driver\": \"Ann\", \"doors\": [1, 2],"
                + " \"big\": 12345678901234}', 'http'),"
                + " (?::uuid, '2026-11-21T10:00:02Z', ?::uuid, '2026-11-21T10:00:02.999Z',"
                + " now(), ST_SetSRID(ST_MakePoint(-0.5, -33.3), 4326), NULL, NULL, NULL, NULL,"
                + " NULL, NULL, 'teltonika'),"
                + " (?::uuid, '2026-11-21T10:00:03.0005Z', ?::uuid, '2026-11-21T10:00:03Z',"
                + " now(), ST_SetSRID(ST_MakePoint(0, 0), 4326), 0, 359.9, -12.5, NULL, false,"
                + " '{}', 'osmand')")
        .params(vehicle, fleetId, vehicle, fleetId, vehicle, fleetId)
        .update();
    insertLatestPosition(vehicle, fleetId, "2026-11-21T10:00:03.0005Z", 52.1, 13.2);
  }

  @Test
  void aTrackPageIsWhatTheMapperWritesForItsPositions() throws Exception {
    String path =
        "/api/v1/vehicles/" + vehicle + "/track?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z";
    List<PositionView> all =
        jdbc.sql(
                "SELECT "
                    + PositionRows.COLUMNS
                    + " FROM positions p WHERE p.vehicle_id = ?::uuid ORDER BY p.recorded_at")
            .param(vehicle)
            .query((rs, row) -> PositionRows.map(rs))
            .list();

    ApiClient.Response first = api.get(path + "&limit=2", readOnlyToken);
    Page<PositionView> expected = Page.of(all, 2, p -> Cursors.instantKey(p.recordedAt()));
    assertThat(first.contentType()).startsWith("application/json");
    assertThat(first.body()).isEqualTo(mapper.writeValueAsString(expected));

    ApiClient.Response rest =
        api.get(path + "&limit=2&cursor=" + expected.nextCursor(), readOnlyToken);
    assertThat(rest.body())
        .isEqualTo(mapper.writeValueAsString(new Page<>(all.subList(2, 3), null)));
  }

  @Test
  void anAreaPageIsWhatTheMapperWritesForItsPositions() throws Exception {
    List<PositionView> latest =
        jdbc.sql(
                "SELECT "
                    + PositionRows.COLUMNS
                    + " FROM latest_positions p WHERE p.vehicle_id = ?::uuid")
            .param(vehicle)
            .query((rs, row) -> PositionRows.map(rs))
            .list();

    ApiClient.Response response =
        api.get("/api/v1/positions?near=52.1,13.2&radiusM=10", readOnlyToken);

    assertThat(response.body()).isEqualTo(mapper.writeValueAsString(new Page<>(latest, null)));
    assertThat(api.get("/api/v1/positions?near=1,1&radiusM=10", readOnlyToken).body())
        .isEqualTo("{\"items\":[],\"nextCursor\":null}");
  }

  @Test
  void aGeoJsonTrackPageIsOneLineStringWithTimesAndSpeedsAsProperties() throws Exception {
    String path =
        "/api/v1/vehicles/" + vehicle + "/track?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z";
    List<PositionView> all = trackRows();
    List<PositionView> page = all.subList(0, 2);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("vehicleId", vehicle);
    properties.put("recordedAt", page.stream().map(PositionView::recordedAt).toList());
    properties.put("speedKmh", page.stream().map(PositionView::speedKmh).toList());
    Map<String, Object> line =
        GeoJson.feature(
            vehicle,
            Map.of(
                "type",
                "LineString",
                "coordinates",
                page.stream().map(p -> List.of(p.longitude(), p.latitude())).toList()),
            properties);

    ApiClient.Response response =
        api.get(path + "&limit=2", readOnlyToken, GeoJson.MEDIA_TYPE_VALUE);

    assertThat(response.contentType()).startsWith(GeoJson.MEDIA_TYPE_VALUE);
    assertThat(mapper.readTree(response.body()))
        .isEqualTo(
            tree(
                collection(
                    List.of(line), Cursors.encode(Cursors.instantKey(page.get(1).recordedAt())))));
    String empty =
        "/api/v1/vehicles/" + vehicle + "/track?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z";
    assertThat(mapper.readTree(api.get(empty, readOnlyToken, GeoJson.MEDIA_TYPE_VALUE).body()))
        .isEqualTo(tree(collection(List.of(), null)));
    assertThat(api.get(path, otherFleetToken, GeoJson.MEDIA_TYPE_VALUE).status()).isEqualTo(404);
  }

  @Test
  void aGeoJsonAreaPageIsAPointFeaturePerVehicle() throws Exception {
    PositionView latest =
        jdbc.sql(
                "SELECT "
                    + PositionRows.COLUMNS
                    + " FROM latest_positions p WHERE p.vehicle_id = ?::uuid")
            .param(vehicle)
            .query((rs, row) -> PositionRows.map(rs))
            .single();
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("vehicleId", latest.vehicleId());
    properties.put("recordedAt", latest.recordedAt());
    properties.put("receivedAt", latest.receivedAt());
    properties.put("speedKmh", latest.speedKmh());
    properties.put("headingDeg", latest.headingDeg());
    properties.put("altitudeM", latest.altitudeM());
    properties.put("accuracyM", latest.accuracyM());
    properties.put("ignition", latest.ignition());
    properties.put("diagnostics", latest.diagnostics());
    properties.put("attributes", latest.attributes());
    Map<String, Object> point =
        GeoJson.feature(
            vehicle,
            Map.of("type", "Point", "coordinates", List.of(latest.longitude(), latest.latitude())),
            properties);

    ApiClient.Response response =
        api.get(
            "/api/v1/positions?near=52.1,13.2&radiusM=10", readOnlyToken, GeoJson.MEDIA_TYPE_VALUE);

    assertThat(response.contentType()).startsWith(GeoJson.MEDIA_TYPE_VALUE);
    assertThat(mapper.readTree(response.body())).isEqualTo(tree(collection(List.of(point), null)));
    assertThat(
            mapper.readTree(
                api.get(
                        "/api/v1/positions?near=1,1&radiusM=10",
                        readOnlyToken,
                        GeoJson.MEDIA_TYPE_VALUE)
                    .body()))
        .isEqualTo(tree(collection(List.of(), null)));
  }

  private List<PositionView> trackRows() {
    return jdbc.sql(
            "SELECT "
                + PositionRows.COLUMNS
                + " FROM positions p WHERE p.vehicle_id = ?::uuid ORDER BY p.recorded_at")
        .param(vehicle)
        .query((rs, row) -> PositionRows.map(rs))
        .list();
  }

  /** What the mapper makes of it, read back, so that numbers compare as the client reads them. */
  private JsonNode tree(Object value) {
    return mapper.readTree(mapper.writeValueAsString(value));
  }

  private static Map<String, Object> collection(List<?> features, String nextCursor) {
    Map<String, Object> collection = new LinkedHashMap<>();
    collection.put("type", "FeatureCollection");
    collection.put("features", features);
    collection.put("nextCursor", nextCursor);
    return collection;
  }

  @Test
  void aVehicleWithoutHistoryHasAnEmptyTrackAndAnotherFleetsVehicleNone() throws Exception {
    String empty = createVehicle(fleetToken, "Never moved");
    String path = "/track?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z";

    ApiClient.Response response = api.get("/api/v1/vehicles/" + empty + path, readOnlyToken);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"items\":[],\"nextCursor\":null}");
    assertThat(api.get("/api/v1/vehicles/" + vehicle + path, otherFleetToken).status())
        .isEqualTo(404);
  }
}
