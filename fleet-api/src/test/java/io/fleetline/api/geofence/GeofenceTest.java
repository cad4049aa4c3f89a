package io.fleetline.api.geofence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Geofence CRUD: polygons, circles stored as polygons, validation naming the field. */
class GeofenceTest extends FleetApiTest {

  static final String SQUARE =
      "{\"type\":\"Polygon\",\"coordinates\":[[[13.0,52.0],[14.0,52.0],[14.0,53.0],[13.0,53.0],[13.0,52.0]]]}";

  @Test
  void aPolygonGeofenceIsCreatedReadReplacedAndDeleted() throws Exception {
    ApiClient.Response created =
        api.post(
            "/api/v1/geofences",
            fleetToken,
            "{\"name\":\"Depot\",\"area\":" + SQUARE + ",\"speedLimitKmh\":30}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").stringValue();
    assertThat(created.json().get("area").get("type").stringValue()).isEqualTo("Polygon");
    assertThat(created.json().get("speedLimitKmh").doubleValue()).isEqualTo(30);

    assertThat(api.get("/api/v1/geofences/" + id, readOnlyToken).json().get("name").stringValue())
        .isEqualTo("Depot");
    assertThat(api.get("/api/v1/geofences/" + id, otherFleetToken).status()).isEqualTo(404);

    ApiClient.Response replaced =
        api.put(
            "/api/v1/geofences/" + id,
            fleetToken,
            "{\"name\":\"Yard\",\"area\":{\"center\":{\"latitude\":52.5,\"longitude\":13.4},\"radiusM\":250}}");
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(replaced.json().get("area").get("radiusM").doubleValue()).isEqualTo(250);
    assertThat(replaced.json().get("speedLimitKmh").isNull()).isTrue();
    assertThat(
            api.put(
                    "/api/v1/geofences/" + id,
                    otherFleetToken,
                    "{\"name\":\"x\",\"area\":" + SQUARE + "}")
                .status())
        .isEqualTo(404);

    assertThat(api.delete("/api/v1/geofences/" + id, otherFleetToken).status()).isEqualTo(404);
    assertThat(api.delete("/api/v1/geofences/" + id, fleetToken).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/geofences/" + id, fleetToken).status()).isEqualTo(404);
  }

  @Test
  void aCircleIsStoredAsAPolygonApproximationWithItsCentreAndRadius() throws Exception {
    String id =
        api.post(
                "/api/v1/geofences",
                fleetToken,
                "{\"name\":\"Round\",\"area\":{\"center\":{\"latitude\":52.52,\"longitude\":13.405},\"radiusM\":1000}}")
            .json()
            .get("id")
            .stringValue();

    JsonNode circle = api.get("/api/v1/geofences/" + id, fleetToken).json().get("area");
    assertThat(circle.get("center").get("latitude").doubleValue()).isEqualTo(52.52);
    double areaM2 =
        jdbc.sql("SELECT ST_Area(area::geography) FROM geofences WHERE id = ?::uuid")
            .param(id)
            .query(Double.class)
            .single();
    assertThat(areaM2).isCloseTo(Math.PI * 1000 * 1000, within(Math.PI * 1000 * 1000 * 0.01));
    boolean inside =
        jdbc.sql(
                "SELECT ST_Contains(area, ST_SetSRID(ST_MakePoint(13.405, 52.5245), 4326))"
                    + " FROM geofences WHERE id = ?::uuid")
            .param(id)
            .query(Boolean.class)
            .single();
    assertThat(inside).as("500 m north of the centre").isTrue();
  }

  @Test
  void geofencesAreListedPerFleet() throws Exception {
    api.post("/api/v1/geofences", otherFleetToken, "{\"name\":\"Theirs\",\"area\":" + SQUARE + "}");
    api.post("/api/v1/geofences", fleetToken, "{\"name\":\"Ours\",\"area\":" + SQUARE + "}");
    JsonNode page = api.get("/api/v1/geofences?limit=1000", fleetToken).json();
    page.get("items").forEach(g -> assertThat(g.get("name").stringValue()).isNotEqualTo("Theirs"));
    assertThat(page.get("items")).isNotEmpty();
  }

  @Test
  void invalidAreasAre400NamingTheField() throws Exception {
    assertThat(invalid("{\"type\":\"Point\",\"coordinates\":[1,2]}")).isEqualTo("area.type");
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}"))
        .isEqualTo("area.coordinates[0]");
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}"))
        .isEqualTo("area.coordinates[0]");
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[200,0],[1,1],[0,0]]]}"))
        .isEqualTo("area.coordinates[0][1]");
    // A bow tie crosses itself: PostGIS says why.
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"))
        .isEqualTo("area");
    assertThat(invalid("{\"center\":{\"latitude\":52,\"longitude\":13},\"radiusM\":0}"))
        .isEqualTo("area.radiusM");
    assertThat(invalid("{\"center\":{\"latitude\":91,\"longitude\":13},\"radiusM\":10}"))
        .isEqualTo("area.center.latitude");
    ApiClient.Response noName =
        api.post("/api/v1/geofences", fleetToken, "{\"area\":" + SQUARE + "}");
    assertThat(noName.json().get("field").stringValue()).isEqualTo("name");
  }

  @Test
  void altitudesArePermittedAndDroppedSinceAGeofenceIsASurface() throws Exception {
    ApiClient.Response created =
        api.post(
            "/api/v1/geofences",
            fleetToken,
            "{\"name\":\"Hill\",\"area\":{\"type\":\"Polygon\",\"coordinates\":[[[13.0,52.0,40],"
                + "[14.0,52.0,41.5],[14.0,53.0,0],[13.0,52.0,40]]]}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode second = created.json().get("area").get("coordinates").get(0).get(1);
    assertThat(second.size()).isEqualTo(2);
    assertThat(second.get(0).doubleValue()).isEqualTo(14.0);
  }

  @Test
  void aRingIsClosedWhenItsEndsAreTheSameNumberHoweverWritten() throws Exception {
    ApiClient.Response created =
        api.post(
            "/api/v1/geofences",
            fleetToken,
            "{\"name\":\"Closed\",\"area\":{\"type\":\"Polygon\",\"coordinates\":[[[13.0,52.0],"
                + "[14,52],[14,53],[13,52.00]]]}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  @Test
  void nonNumericNonFiniteAndExtraPositionMembersAre400NamingThePosition() throws Exception {
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0,\"x\"],[1,1],[0,0]]]}"))
        .isEqualTo("area.coordinates[0][1]");
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1e999,1],[0,0]]]}"))
        .isEqualTo("area.coordinates[0][2]");
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1,2,3],[0,0]]]}"))
        .isEqualTo("area.coordinates[0][2]");
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,\"1\"],[0,0]]]}"))
        .isEqualTo("area.coordinates[0][2]");
    assertThat(invalid("{\"center\":{\"latitude\":1e999,\"longitude\":13},\"radiusM\":10}"))
        .isEqualTo("area.center.latitude");
    assertThat(invalid("{\"center\":{\"latitude\":52,\"longitude\":13},\"radiusM\":1e999}"))
        .isEqualTo("area.radiusM");
    assertThat(invalid("{\"center\":{\"latitude\":52,\"longitude\":13},\"radiusM\":-5}"))
        .isEqualTo("area.radiusM");
    assertThat(invalid("{\"center\":{\"latitude\":52,\"longitude\":13},\"radiusM\":1e-300}"))
        .isEqualTo("area.radiusM");
  }

  @Test
  void aCircleAroundAPoleThatIsNoSinglePolygonIs400NamingTheArea() throws Exception {
    assertThat(invalid("{\"center\":{\"latitude\":90,\"longitude\":180},\"radiusM\":100000}"))
        .isEqualTo("area");
  }

  @Test
  void moreRingsOrPositionsThanConfiguredAre400BeforePostgisSeesThem() throws Exception {
    StringBuilder rings = new StringBuilder("[[0,0],[10,0],[10,10],[0,10],[0,0]]");
    for (int i = 0; i < 100; i++) {
      double x = 0.05 + (i % 10);
      double y = 0.05 + (i / 10);
      rings.append(
          ",[[%s,%s],[%s,%s],[%s,%s],[%s,%s]]".formatted(x, y, x + 0.5, y, x, y + 0.5, x, y));
    }
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[" + rings + "]}"))
        .as("101 rings")
        .isEqualTo("area.coordinates");
    StringBuilder ring = new StringBuilder("[[0,0]");
    for (int i = 1; i <= 10_000; i++) {
      ring.append(",[").append(i * 0.0001).append(",").append(i % 2 == 0 ? 0 : 0.0001).append("]");
    }
    ring.append(",[0,0]]");
    assertThat(invalid("{\"type\":\"Polygon\",\"coordinates\":[" + ring + "]}"))
        .as("10,002 positions")
        .isEqualTo("area.coordinates");
  }

  @Test
  void speedLimitsOutsideOneToAThousandKmhAre400OnCreateAndReplace() throws Exception {
    String id =
        api.post(
                "/api/v1/geofences",
                fleetToken,
                "{\"name\":\"Limited\",\"area\":" + SQUARE + ",\"speedLimitKmh\":30}")
            .json()
            .get("id")
            .stringValue();
    for (String limit : new String[] {"1e39", "0", "0.5", "1001", "-1"}) {
      String body = "{\"name\":\"Fast\",\"area\":" + SQUARE + ",\"speedLimitKmh\":" + limit + "}";
      ApiClient.Response created = api.post("/api/v1/geofences", fleetToken, body);
      assertThat(created.status()).as(limit + ": " + created.body()).isEqualTo(400);
      assertThat(created.json().get("field").stringValue()).isEqualTo("speedLimitKmh");
      ApiClient.Response replaced = api.put("/api/v1/geofences/" + id, fleetToken, body);
      assertThat(replaced.status()).as(limit + ": " + replaced.body()).isEqualTo(400);
      assertThat(replaced.json().get("field").stringValue()).isEqualTo("speedLimitKmh");
    }
    assertThat(
            api.get("/api/v1/geofences/" + id, fleetToken).json().get("speedLimitKmh").floatValue())
        .isEqualTo(30);
  }

  @Test
  void aNameWithANulCharacterIs400NamingIt() throws Exception {
    ApiClient.Response response =
        api.post(
            "/api/v1/geofences", fleetToken, "{\"name\":\"Dep\\u0000ot\",\"area\":" + SQUARE + "}");
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("field").stringValue()).isEqualTo("name");
  }

  @Test
  void theSameAreaChecksApplyWhenAGeofenceIsReplaced() throws Exception {
    String id =
        api.post("/api/v1/geofences", fleetToken, "{\"name\":\"Kept\",\"area\":" + SQUARE + "}")
            .json()
            .get("id")
            .stringValue();
    ApiClient.Response replaced =
        api.put(
            "/api/v1/geofences/" + id,
            fleetToken,
            "{\"name\":\"Kept\",\"area\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0,\"x\"],"
                + "[1,1],[0,0]]]}}");
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(400);
    assertThat(replaced.json().get("field").stringValue()).isEqualTo("area.coordinates[0][1]");
  }

  private String invalid(String area) throws Exception {
    ApiClient.Response response =
        api.post("/api/v1/geofences", fleetToken, "{\"name\":\"Bad\",\"area\":" + area + "}");
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    return response.json().get("field").stringValue();
  }
}
