package io.fleetline.api.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A vehicle's history from the partitioned positions table, paged in event-time order. */
class TrackTest extends FleetApiTest {

  String vehicleId;

  @BeforeAll
  void history() throws Exception {
    vehicleId = createVehicle(fleetToken, "Tracked");
    jdbc.sql("SELECT fleetline_ensure_positions_partition(DATE '2026-11-25')").query().listOfRows();
    jdbc.sql("SELECT fleetline_ensure_positions_partition(DATE '2026-11-26')").query().listOfRows();
    // 10 pings a minute apart across midnight, so the track spans two partitions.
    jdbc.sql(
            "INSERT INTO positions (vehicle_id, recorded_at, fleet_id, received_at, stored_at,"
                + " location, speed_kmh, protocol) SELECT ?::uuid, t, ?::uuid, t, now(),"
                + " ST_SetSRID(ST_MakePoint(13.4 + i * 0.001, 52.5), 4326), i, 'http'"
                + " FROM generate_series(0, 9) AS i,"
                + " LATERAL (SELECT TIMESTAMPTZ '2026-11-25T23:55:00.123Z' + i * INTERVAL '1 minute'"
                + " AS t) AS times")
        .params(vehicleId, fleetId)
        .update();
  }

  @Test
  void aTrackIsPagedInRecordedAtOrderAcrossDailyPartitions() throws Exception {
    List<String> times = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      ApiClient.Response response =
          api.get(
              "/api/v1/vehicles/"
                  + vehicleId
                  + "/track?from=2026-11-25T23:00:00Z&to=2026-11-26T01:00:00%2B00:00&limit=4"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              readOnlyToken);
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      JsonNode page = response.json();
      page.get("items").forEach(p -> times.add(p.get("recordedAt").stringValue()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    assertThat(times).hasSize(10).doesNotHaveDuplicates().isSorted();
    assertThat(times.get(0)).isEqualTo("2026-11-25T23:55:00.123Z");
  }

  @Test
  void theTimeWindowBoundsTheTrack() throws Exception {
    JsonNode page =
        api.get(
                "/api/v1/vehicles/"
                    + vehicleId
                    + "/track?from=2026-11-25T23:57:00Z&to=2026-11-25T23:59:00Z",
                fleetToken)
            .json();
    assertThat(page.get("items")).hasSize(2);
  }

  @Test
  void geoJsonIsALineStringOfThePage() throws Exception {
    ApiClient.Response response =
        api.get(
            "/api/v1/vehicles/"
                + vehicleId
                + "/track?from=2026-11-25T00:00:00Z&to=2026-11-27T00:00:00Z&limit=5",
            fleetToken,
            "application/geo+json");

    assertThat(response.contentType()).startsWith("application/geo+json");
    JsonNode feature = response.json().get("features").get(0);
    assertThat(feature.get("geometry").get("type").stringValue()).isEqualTo("LineString");
    assertThat(feature.get("geometry").get("coordinates")).hasSize(5);
    assertThat(response.json().get("nextCursor").isNull()).isFalse();
  }

  @Test
  void anotherFleetsVehicleHasNoTrackAndBadWindowsAre400() throws Exception {
    String path = "/api/v1/vehicles/" + vehicleId + "/track?from=2026-11-25T00:00:00Z&to=";
    assertThat(api.get(path + "2026-11-27T00:00:00Z", otherFleetToken).status()).isEqualTo(404);
    ApiClient.Response backwards = api.get(path + "2026-11-24T00:00:00Z", fleetToken);
    assertThat(backwards.status()).isEqualTo(400);
    assertThat(backwards.json().get("field").stringValue()).isEqualTo("to");
    ApiClient.Response garbage = api.get(path + "yesterday", fleetToken);
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.json().get("field").stringValue()).isEqualTo("to");
    ApiClient.Response missing = api.get("/api/v1/vehicles/" + vehicleId + "/track", fleetToken);
    assertThat(missing.json().get("field").stringValue()).isEqualTo("from");
    for (String limit : new String[] {"0", "1001"}) {
      ApiClient.Response outOfRange =
          api.get(path + "2026-11-27T00:00:00Z&limit=" + limit, fleetToken);
      assertThat(outOfRange.status()).isEqualTo(400);
      assertThat(outOfRange.contentType()).startsWith("application/problem+json");
      assertThat(outOfRange.json().get("field").stringValue()).isEqualTo("limit");
      assertThat(outOfRange.json().get("detail").stringValue()).startsWith("limit must be");
    }
  }

  @Test
  void instantsBeyondWhatTheDatabaseHoldsAre400NamingTheParameter() throws Exception {
    String path = "/api/v1/vehicles/" + vehicleId + "/track?";
    ApiClient.Response farFuture =
        api.get(path + "from=2026-11-25T00:00:00Z&to=%2B999999999-12-31T23:59:59Z", fleetToken);
    assertThat(farFuture.status()).as(farFuture.body()).isEqualTo(400);
    assertThat(farFuture.contentType()).startsWith("application/problem+json");
    assertThat(farFuture.json().get("field").stringValue()).isEqualTo("to");
    ApiClient.Response farPast =
        api.get(path + "from=-999999999-01-01T00:00:00Z&to=2026-11-27T00:00:00Z", fleetToken);
    assertThat(farPast.status()).as(farPast.body()).isEqualTo(400);
    assertThat(farPast.json().get("field").stringValue()).isEqualTo("from");
    // A cursor of microseconds before 4713 BC, which PostgreSQL cannot compare with.
    String hugeCursor =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.UTF_8));
    ApiClient.Response cursor =
        api.get(
            path + "from=2026-11-25T00:00:00Z&to=2026-11-27T00:00:00Z&cursor=" + hugeCursor,
            fleetToken);
    assertThat(cursor.status()).as(cursor.body()).isEqualTo(400);
    assertThat(cursor.json().get("field").stringValue()).isEqualTo("cursor");
  }
}
