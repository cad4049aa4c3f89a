package io.fleetline.api.trip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Trips and stops as routing stores them, read back through the API. */
class TripTest extends FleetApiTest {

  String vehicleId;
  String firstTrip;

  @BeforeAll
  void tripsAndStops() throws Exception {
    vehicleId = createVehicle(fleetToken, "Tripper");
    firstTrip = insertTrip("2026-11-26T06:00:00Z", "2026-11-26T06:30:00Z");
    insertTrip("2026-11-26T07:00:00Z", "2026-11-26T07:20:00Z");
    insertTrip("2026-11-26T09:00:00Z", "2026-11-26T09:45:00Z");
    jdbc.sql(
            "INSERT INTO stops (id, vehicle_id, fleet_id, started_at, ended_at, location,"
                + " duration_s) VALUES (gen_random_uuid(), ?::uuid, ?::uuid,"
                + " '2026-11-26T06:30:00Z', '2026-11-26T07:00:00Z',"
                + " ST_SetSRID(ST_MakePoint(13.41, 52.52), 4326), 1800)")
        .params(vehicleId, fleetId)
        .update();
  }

  private String insertTrip(String start, String end) {
    String id = uuid();
    jdbc.sql(
            "INSERT INTO trips (id, vehicle_id, fleet_id, started_at, ended_at, start_location,"
                + " end_location, distance_m, duration_s, max_speed_kmh, avg_speed_kmh, path,"
                + " point_count) VALUES (?::uuid, ?::uuid, ?::uuid, ?::timestamptz,"
                + " ?::timestamptz, ST_SetSRID(ST_MakePoint(13.40, 52.52), 4326),"
                + " ST_SetSRID(ST_MakePoint(13.42, 52.53), 4326), 1800, 1800, 50, 30,"
                + " ST_GeomFromText('LINESTRING(13.40 52.52, 13.41 52.525, 13.42 52.53)', 4326),"
                + " 3)")
        .params(id, vehicleId, fleetId, start, end)
        .update();
    return id;
  }

  @Test
  void tripsInAWindowArePagedOldestFirstWithoutTheirPaths() throws Exception {
    String path =
        "/api/v1/vehicles/"
            + vehicleId
            + "/trips?from=2026-11-26T06:10:00Z&to=2026-11-26T08:00:00Z";
    JsonNode first = api.get(path + "&limit=1", readOnlyToken).json();
    assertThat(first.get("items")).hasSize(1);
    assertThat(first.get("items").get(0).get("id").stringValue()).isEqualTo(firstTrip);
    assertThat(first.get("items").get(0).has("path")).isFalse();
    assertThat(first.get("items").get(0).get("start").get("latitude").doubleValue())
        .isEqualTo(52.52);
    JsonNode second =
        api.get(path + "&limit=1&cursor=" + first.get("nextCursor").stringValue(), readOnlyToken)
            .json();
    assertThat(second.get("items").get(0).get("startedAt").stringValue())
        .isEqualTo("2026-11-26T07:00:00.000Z");
    assertThat(second.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void aSingleTripCarriesItsPathAndIsHiddenFromOtherFleets() throws Exception {
    ApiClient.Response trip = api.get("/api/v1/trips/" + firstTrip, fleetToken);
    assertThat(trip.status()).isEqualTo(200);
    JsonNode path = trip.json().get("path");
    assertThat(path.get("type").stringValue()).isEqualTo("LineString");
    assertThat(path.get("coordinates")).hasSize(3);
    assertThat(trip.json().get("distanceM").doubleValue()).isEqualTo(1800);
    assertThat(api.get("/api/v1/trips/" + firstTrip, otherFleetToken).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/vehicles/" + vehicleId + "/trips", otherFleetToken).status())
        .isEqualTo(404);
  }

  @Test
  void anOpenTripsPathIsTheVehiclesHistoryFromItsStartToItsEnd() throws Exception {
    String vehicle = createVehicle(fleetToken, "Still driving");
    jdbc.sql("SELECT fleetline_ensure_positions_partition(DATE '2026-11-25')").query().listOfRows();
    // Ten pings a minute apart; the open trip (as routing stores it, without a path) spans 2..6.
    jdbc.sql(
            "INSERT INTO positions (vehicle_id, recorded_at, fleet_id, received_at, stored_at,"
                + " location, protocol) SELECT ?::uuid, t, ?::uuid, t, now(),"
                + " ST_SetSRID(ST_MakePoint(13.4 + i * 0.001, 52.5), 4326), 'http' FROM"
                + " generate_series(0, 9) AS i, LATERAL (SELECT TIMESTAMPTZ"
                + " '2026-11-25T10:00:00Z' + i * INTERVAL '1 minute' AS t) AS times")
        .params(vehicle, fleetId)
        .update();
    String trip = uuid();
    jdbc.sql(
            "INSERT INTO trips (id, vehicle_id, fleet_id, started_at, ended_at, start_location,"
                + " end_location, distance_m, duration_s, point_count, open) VALUES (?::uuid,"
                + " ?::uuid, ?::uuid, '2026-11-25T10:02:00Z', '2026-11-25T10:06:00Z',"
                + " ST_SetSRID(ST_MakePoint(13.402, 52.5), 4326),"
                + " ST_SetSRID(ST_MakePoint(13.406, 52.5), 4326), 270, 240, 5, true)")
        .params(trip, vehicle, fleetId)
        .update();

    JsonNode path = api.get("/api/v1/trips/" + trip, fleetToken).json().get("path");
    JsonNode feature =
        api.get("/api/v1/vehicles/" + vehicle + "/trips", fleetToken, "application/geo+json")
            .json()
            .get("features")
            .get(0);

    assertThat(path.get("coordinates")).hasSize(5);
    assertThat(path.get("coordinates").get(0).get(0).doubleValue()).isEqualTo(13.402);
    assertThat(path.get("coordinates").get(4).get(0).doubleValue()).isEqualTo(13.406);
    assertThat(feature.get("geometry")).isEqualTo(path);
  }

  @Test
  void tripsAsGeoJsonAreLineStringFeatures() throws Exception {
    ApiClient.Response list =
        api.get("/api/v1/vehicles/" + vehicleId + "/trips", fleetToken, "application/geo+json");
    assertThat(list.contentType()).startsWith("application/geo+json");
    assertThat(list.json().get("features")).hasSize(3);
    assertThat(list.json().get("features").get(0).get("geometry").get("type").stringValue())
        .isEqualTo("LineString");
    ApiClient.Response one =
        api.get("/api/v1/trips/" + firstTrip, fleetToken, "application/geo+json");
    assertThat(one.json().get("type").stringValue()).isEqualTo("Feature");
    assertThat(one.json().get("properties").get("vehicleId").stringValue()).isEqualTo(vehicleId);
  }

  @Test
  void stopsAreListed() throws Exception {
    JsonNode stops = api.get("/api/v1/vehicles/" + vehicleId + "/stops", fleetToken).json();
    assertThat(stops.get("items")).hasSize(1);
    assertThat(stops.get("items").get(0).get("durationS").doubleValue()).isEqualTo(1800);
    assertThat(api.get("/api/v1/vehicles/" + vehicleId + "/stops", otherFleetToken).status())
        .isEqualTo(404);
  }

  @Test
  void instantsBeyondWhatTheDatabaseHoldsAre400NamingTheParameter() throws Exception {
    for (String list : new String[] {"trips", "stops"}) {
      String path = "/api/v1/vehicles/" + vehicleId + "/" + list + "?";
      ApiClient.Response farFuture = api.get(path + "to=%2B999999999-12-31T23:59:59Z", fleetToken);
      assertThat(farFuture.status()).as(farFuture.body()).isEqualTo(400);
      assertThat(farFuture.contentType()).startsWith("application/problem+json");
      assertThat(farFuture.json().get("field").stringValue()).isEqualTo("to");
      ApiClient.Response farPast = api.get(path + "from=-999999999-01-01T00:00:00Z", fleetToken);
      assertThat(farPast.status()).as(farPast.body()).isEqualTo(400);
      assertThat(farPast.json().get("field").stringValue()).isEqualTo("from");
    }
  }
}
