package io.fleetline.api.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Latest positions in a bounding box or a circle, only ever of the caller's fleet. */
class PositionAreaTest extends FleetApiTest {

  String berlin;
  String potsdam;
  String hamburg;
  String foreign;

  @BeforeAll
  void vehicles() throws Exception {
    berlin = createVehicle(fleetToken, "Berlin");
    potsdam = createVehicle(fleetToken, "Potsdam");
    hamburg = createVehicle(fleetToken, "Hamburg");
    foreign = createVehicle(otherFleetToken, "Foreign in Berlin");
    insertLatestPosition(berlin, fleetId, "2026-11-26T08:00:00Z", 52.5200, 13.4050);
    insertLatestPosition(potsdam, fleetId, "2026-11-26T08:00:00Z", 52.3906, 13.0645);
    insertLatestPosition(hamburg, fleetId, "2026-11-26T08:00:00Z", 53.5511, 9.9937);
    insertLatestPosition(foreign, otherFleetId, "2026-11-26T08:00:00Z", 52.5201, 13.4051);
  }

  @Test
  void aBoundingBoxFindsTheFleetsVehiclesInsideIt() throws Exception {
    ApiClient.Response response =
        api.get("/api/v1/positions?bbox=12.9,52.3,13.6,52.7", readOnlyToken);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(ids(response.json())).containsExactlyInAnyOrder(berlin, potsdam);
    assertThat(response.json().get("nextCursor").isNull()).isTrue();
  }

  @Test
  void aRadiusFindsTheVehiclesWithinThatManyMetres() throws Exception {
    // Potsdam is about 26 km from Berlin's centre.
    assertThat(ids(api.get("/api/v1/positions?near=52.52,13.405&radiusM=20000", fleetToken).json()))
        .containsExactly(berlin);
    assertThat(ids(api.get("/api/v1/positions?near=52.52,13.405&radiusM=30000", fleetToken).json()))
        .containsExactlyInAnyOrder(berlin, potsdam);
  }

  @Test
  void pagesOfAnAreaFollowTheCursorWithoutDuplicates() throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          api.get(
                  "/api/v1/positions?bbox=-180,-90,180,90&limit=1"
                      + (cursor == null ? "" : "&cursor=" + cursor),
                  fleetToken)
              .json();
      seen.addAll(ids(page));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
    } while (cursor != null);
    assertThat(seen).containsExactlyInAnyOrder(berlin, potsdam, hamburg);
  }

  @Test
  void geoJsonIsAFeatureCollectionOfPoints() throws Exception {
    ApiClient.Response response =
        api.get(
            "/api/v1/positions?near=52.52,13.405&radiusM=1000", fleetToken, "application/geo+json");

    assertThat(response.contentType()).startsWith("application/geo+json");
    JsonNode collection = response.json();
    assertThat(collection.get("type").stringValue()).isEqualTo("FeatureCollection");
    JsonNode feature = collection.get("features").get(0);
    assertThat(feature.get("geometry").get("type").stringValue()).isEqualTo("Point");
    assertThat(feature.get("geometry").get("coordinates").get(0).doubleValue()).isEqualTo(13.405);
    assertThat(feature.get("properties").get("recordedAt").stringValue())
        .isEqualTo("2026-11-26T08:00:00.000Z");
  }

  @Test
  void aMissingOrMalformedAreaIsA400NamingTheParameter() throws Exception {
    assertThat(field(api.get("/api/v1/positions", fleetToken))).isEqualTo("bbox");
    assertThat(field(api.get("/api/v1/positions?bbox=1,2,3", fleetToken))).isEqualTo("bbox");
    assertThat(field(api.get("/api/v1/positions?bbox=10,50,9,51", fleetToken))).isEqualTo("bbox");
    assertThat(field(api.get("/api/v1/positions?near=95,13", fleetToken))).isEqualTo("near");
    assertThat(field(api.get("/api/v1/positions?near=52,13", fleetToken))).isEqualTo("radiusM");
    assertThat(field(api.get("/api/v1/positions?bbox=0,0,1,1&limit=1001", fleetToken)))
        .isEqualTo("limit");
  }

  private static String field(ApiClient.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    return response.json().get("field").stringValue();
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("items").forEach(p -> ids.add(p.get("vehicleId").stringValue()));
    return ids;
  }
}
