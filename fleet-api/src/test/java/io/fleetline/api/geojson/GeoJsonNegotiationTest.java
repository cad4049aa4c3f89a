package io.fleetline.api.geojson;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Which answer each {@code Accept} header gets from the endpoints that speak JSON and GeoJSON:
 * plain JSON whenever the client names it (generated clients name both), GeoJSON when it names
 * GeoJSON and not plain JSON, and 406 when it accepts neither.
 */
class GeoJsonNegotiationTest extends FleetApiTest {

  static final String JSON = "application/json";
  static final String GEO_JSON = "application/geo+json";

  List<String> paths;

  @BeforeAll
  void aVehicleWithAPositionAndATrip() throws Exception {
    String vehicle = createVehicle(fleetToken, "Negotiated");
    insertLatestPosition(vehicle, fleetId, "2026-11-26T08:00:00Z", 48.1, 11.5);
    String trip = uuid();
    jdbc.sql(
            "INSERT INTO trips (id, vehicle_id, fleet_id, started_at, ended_at, start_location,"
                + " end_location, distance_m, duration_s, path, point_count) VALUES (?::uuid,"
                + " ?::uuid, ?::uuid, '2026-11-26T06:00:00Z', '2026-11-26T06:30:00Z',"
                + " ST_SetSRID(ST_MakePoint(11.5, 48.1), 4326),"
                + " ST_SetSRID(ST_MakePoint(11.6, 48.2), 4326), 1800, 1800,"
                + " ST_GeomFromText('LINESTRING(11.5 48.1, 11.6 48.2)', 4326), 2)")
        .params(trip, vehicle, fleetId)
        .update();
    paths =
        List.of(
            "/api/v1/positions?near=48.1,11.5&radiusM=100",
            "/api/v1/vehicles/"
                + vehicle
                + "/track?from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z",
            "/api/v1/vehicles/" + vehicle + "/trips",
            "/api/v1/trips/" + trip);
  }

  @Test
  void aClientThatNamesPlainJsonGetsPlainJsonEvenWhenItAlsoNamesGeoJson() throws Exception {
    for (String accept :
        List.of(
            JSON,
            "*/*",
            "application/*",
            JSON + ", " + GEO_JSON,
            GEO_JSON + ", " + JSON,
            JSON + ";q=0.1, " + GEO_JSON,
            GEO_JSON + ", " + JSON + ";charset=UTF-8")) {
      for (String path : paths) {
        assertJson(api.get(path, readOnlyToken, accept), accept);
      }
    }
  }

  @Test
  void noAcceptHeaderIsPlainJson() throws Exception {
    for (String path : paths) {
      assertJson(api.get(path, readOnlyToken), "none");
    }
  }

  @Test
  void aClientThatNamesGeoJsonWithoutPlainJsonGetsGeoJson() throws Exception {
    for (String accept :
        List.of(
            GEO_JSON,
            GEO_JSON + ", */*",
            GEO_JSON + ";q=0.5, */*",
            "*/*, " + GEO_JSON + ";q=0.2",
            "text/csv, " + GEO_JSON,
            "application/*, " + GEO_JSON + ";q=0.9")) {
      for (String path : paths) {
        ApiClient.Response response = api.get(path, readOnlyToken, accept);

        assertThat(response.status()).as(accept + " " + path).isEqualTo(200);
        assertThat(response.contentType()).as(accept + " " + path).isEqualTo(GEO_JSON);
        assertThat(response.json().get("type").stringValue())
            .as(accept + " " + path)
            .isIn("FeatureCollection", "Feature");
      }
    }
  }

  @Test
  void aClientThatAcceptsNeitherIsNotAcceptable() throws Exception {
    for (String path : paths) {
      assertThat(api.get(path, readOnlyToken, "text/html").status()).as(path).isEqualTo(406);
      assertThat(api.get(path, readOnlyToken, "application/xml").status()).as(path).isEqualTo(406);
    }
  }

  @Test
  void anEndpointWithoutGeoJsonAnswersPlainJsonOrNotAcceptable() throws Exception {
    assertJson(api.get("/api/v1/events", readOnlyToken, GEO_JSON + ", */*"), "*/*");
    assertThat(api.get("/api/v1/events", readOnlyToken, GEO_JSON).status()).isEqualTo(406);
    for (String accept : List.of("*/*, " + GEO_JSON + ";q=0.2", JSON + ", " + GEO_JSON)) {
      assertJson(api.get("/api/v1/vehicles", readOnlyToken, accept), accept);
    }
  }

  @Test
  void aProblemIsStillAProblemForAGeoJsonClient() throws Exception {
    ApiClient.Response missing =
        api.get(
            "/api/v1/vehicles/"
                + uuid()
                + "/track?from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z",
            readOnlyToken,
            GEO_JSON);

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
    assertThat(api.get("/api/v1/trips/" + uuid(), readOnlyToken, GEO_JSON).status()).isEqualTo(404);
  }

  private static void assertJson(ApiClient.Response response, String accept) {
    assertThat(response.status()).as(accept + ": " + response.body()).isEqualTo(200);
    assertThat(response.contentType()).as(accept).isEqualTo(JSON);
    JsonNode body = response.json();
    assertThat(body.has("items") || body.has("startedAt")).as(accept + ": " + body).isTrue();
  }
}
